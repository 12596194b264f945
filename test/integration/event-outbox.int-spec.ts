/**
 * Job events go out through the outbox on the real services: a transition's event is written in
 * the registry (PostgreSQL, a database of this run) with the transition, and the relay publishes
 * it on RabbitMQ's `ruleshift.events`. While RabbitMQ refuses the exchange (a `fanout` of that
 * name is in the way: PRECONDITION_FAILED) nothing is lost: the events stay in the outbox, and
 * once the broker takes them a bound queue receives every one, in order.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import {
  BrokerEventPublisher,
  EventRelay,
  FixedOperationOwner,
  SystemClock,
  TypeormEventOutbox,
  TypeormJobRepository,
  TypeormRegistryLease,
  openRegistryDataSource,
} from '@ruleshift/adapter';
import { createBrokerRegistry } from '@ruleshift/broker';
import type { JobEvent } from '@ruleshift/contracts';
import { AmqpTestClient } from './support/amqp';
import { createPrivateVhosts, type PrivateVhosts } from './support/private-vhosts';
import { POSTGRES_URL } from './support/services';
import { waitUntil } from './support/system';

const database = `ruleshift_outbox_${randomBytes(6).toString('hex')}`;
const urlFor = (db: string): string => {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${db}`;
  return url.toString();
};

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: urlFor('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('job events through the outbox (real PostgreSQL and RabbitMQ)', () => {
  let vhosts: PrivateVhosts;
  let dataSource: DataSource;
  let core: AmqpTestClient;
  let brokers: ReturnType<typeof createBrokerRegistry>;

  beforeAll(async () => {
    vhosts = createPrivateVhosts('it-outbox');
    await admin(`CREATE DATABASE ${database}`);
    dataSource = await openRegistryDataSource({ url: urlFor(database) });
    brokers = createBrokerRegistry('it-outbox', {
      named: { core: { kind: 'amqp', url: vhosts.coreUrl } },
    });
    core = await AmqpTestClient.connect(vhosts.coreUrl);
  });

  afterAll(async () => {
    await core?.close();
    await brokers?.closeAll();
    await dataSource?.destroy();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    vhosts?.remove();
  });

  it('keeps the events of committed transitions while RabbitMQ refuses, then delivers all in order', async () => {
    const owner = new FixedOperationOwner('it-outbox-adapter');
    const lease = new TypeormRegistryLease(dataSource);
    expect(await lease.acquire(owner.current(), 60_000)).toBe(true);
    const jobs = new TypeormJobRepository(dataSource, owner, lease);
    const outbox = new TypeormEventOutbox(dataSource);
    const relay = new EventRelay(outbox, new BrokerEventPublisher(brokers), new SystemClock());

    // Something else holds the exchange's name with another type: every declaration is refused.
    await core.channel.assertExchange('ruleshift.events', 'fanout', { durable: false });

    const jobId = randomUUID();
    const event = (name: JobEvent['event'], status: JobEvent['status']): JobEvent => ({
      kind: 'job',
      event: name,
      eventId: randomUUID(),
      jobId,
      jobType: 'filter',
      status,
      runtime: 'edge',
      targetResource: 'gw-1',
      at: new Date().toISOString(),
    });
    await dataSource.query(
      `INSERT INTO job (id, job_type, template_version, runtime, target_resource, status, config,
         config_file_name, version) VALUES ($1, 'filter', '1.0.0', 'edge', 'gw-1', 'INSTALLED',
         '{}'::jsonb, $2, 0)`,
      [jobId, `${jobId}.json`],
    );
    const sent: JobEvent[] = [];
    const transition = async (
      operation: 'start' | 'stop',
      status: JobEvent['status'],
      name: JobEvent['event'],
    ) => {
      const version = (await jobs.findById(jobId))!.version;
      expect(await jobs.claim(jobId, operation, version)).toBe(true);
      const e = event(name, status);
      await jobs.release(jobId, operation, { status }, [e]);
      sent.push(e);
      await relay.flush();
    };
    await transition('start', 'RUNNING', 'started');
    await transition('stop', 'STOPPED', 'stopped');
    await transition('start', 'RUNNING', 'started');

    // Committed, refused, kept: every attempt recorded on the oldest, nothing published.
    const pending = await outbox.pending(10);
    expect(pending.map((p) => p.event.eventId)).toEqual(sent.map((e) => e.eventId));
    expect(pending[0].attempts).toBe(3);
    const [row] = await dataSource.query('SELECT last_error FROM event_outbox WHERE id = $1', [
      pending[0].id,
    ]);
    expect(row.last_error).toMatch(/PRECONDITION_FAILED|406/);
    expect((await jobs.findById(jobId))?.status).toBe('RUNNING');

    // The broker takes the exchange again; a service binds its queue.
    await core.channel.deleteExchange('ruleshift.events');
    await core.channel.assertExchange('ruleshift.events', 'topic', { durable: true });
    const queue = `it-outbox-service-${randomUUID().slice(0, 8)}`;
    await core.channel.assertQueue(queue, { durable: false, autoDelete: true });
    await core.channel.bindQueue(queue, 'ruleshift.events', 'job.#');
    const received = await core.collectExisting(queue);

    await relay.flush();
    await waitUntil('every event', async () => received.count >= sent.length);
    expect(received.json<JobEvent>().map((e) => e.eventId)).toEqual(sent.map((e) => e.eventId));
    expect(received.messages.map((m) => m.fields.routingKey)).toEqual([
      'job.filter.started',
      'job.filter.stopped',
      'job.filter.started',
    ]);
    expect(received.messages.every((m) => m.properties.deliveryMode === 2)).toBe(true);
    expect(await outbox.pending(10)).toEqual([]);
  });
});
