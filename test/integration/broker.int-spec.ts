/**
 * libs/broker against the real RabbitMQ (amqp://guest:guest@127.0.0.1:5672) in a vhost of its
 * own, so it never touches what other tests or the running services use.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  AmqpBrokerConnection,
  type Consumer,
  type Delivery,
  RpcClient,
  RpcServer,
} from '@ruleshift/broker';

const VHOST = 'ruleshift-broker-test';
const URL = `amqp://guest:guest@127.0.0.1:5672/${VHOST}`;
const CONNECTION_NAME = `ruleshift:broker-int-test:${process.pid}:${randomUUID().slice(0, 8)}`;

function rabbitmqctl(...args: string[]): string {
  return execFileSync('rabbitmqctl', args, { encoding: 'utf8', timeout: 60_000 });
}

/** The pid rabbitmqctl close_connection wants, of the connection with this connection_name. */
function connectionPid(connectionName: string): string {
  const connections = JSON.parse(
    rabbitmqctl('list_connections', 'name', 'client_properties', '--formatter', 'json'),
  ) as Array<{ name: string; client_properties: Array<[string, string, unknown]> }>;
  const ours = connections.find((c) =>
    c.client_properties.some(
      ([key, , value]) => key === 'connection_name' && value === connectionName,
    ),
  );
  if (!ours) throw new Error(`no connection named ${connectionName}`);
  // The JSON formatter prints pids in a form close_connection does not accept; the table does.
  const table = rabbitmqctl('list_connections', 'name', 'pid', '--quiet', '--no-table-headers');
  const row = table.split('\n').find((line) => line.split('\t')[0] === ours.name);
  if (!row) throw new Error(`connection ${ours.name} vanished`);
  return row.split('\t')[1];
}

/** Polls until `check` holds (the broker settles some things asynchronously). */
async function eventually(check: () => Promise<boolean>, what: string, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never happened: ${what}`);
}

describe('broker on RabbitMQ', () => {
  let connection: AmqpBrokerConnection;
  const created: string[] = [];
  const suffix = randomUUID().slice(0, 8);
  const name = (base: string): string => {
    const full = `it.${base}.${suffix}`;
    created.push(full);
    return full;
  };

  async function queueWithExchange(base: string): Promise<{ exchange: string; queue: string }> {
    const exchange = `it.${base}.x.${suffix}`;
    const queue = name(base);
    await connection.assert({
      exchanges: [{ name: exchange, type: 'direct', durable: false }],
      queues: [{ name: queue, durable: true }],
      bindings: [{ queue, exchange, routingKey: 'k' }],
    });
    return { exchange, queue };
  }

  beforeAll(async () => {
    const vhosts = rabbitmqctl('list_vhosts', '--quiet', '--no-table-headers');
    if (!vhosts.split('\n').includes(VHOST)) rabbitmqctl('add_vhost', VHOST);
    rabbitmqctl('set_permissions', '-p', VHOST, 'guest', '.*', '.*', '.*');
    connection = await AmqpBrokerConnection.connect({
      url: URL,
      name: 'broker-test',
      connectionName: CONNECTION_NAME,
      reconnectDelayMs: 200,
      logger: { warn: () => undefined },
    });
  });

  afterAll(async () => {
    for (const queue of created) await connection.deleteQueue(queue).catch(() => undefined);
    await connection.close();
  });

  it('names itself without credentials', () => {
    expect(connection.name).toBe('broker-test');
  });

  it('publishes with confirms, consumes and acks', async () => {
    const { exchange, queue } = await queueWithExchange('basic');
    await connection.publish(exchange, 'k', Buffer.from('{"a":1}'), {
      headers: { 'x-test': 'yes' },
      messageId: 'm-1',
    });
    expect(await connection.queueDepth(queue)).toBe(1);
    const received = new Promise<Delivery>((resolve) => {
      void connection.consume(queue, resolve, { prefetch: 1 }).then((c) => (consumer = c));
    });
    let consumer!: Consumer;
    const delivery = await received;
    expect(delivery.body.toString()).toBe('{"a":1}');
    expect(delivery.headers).toMatchObject({ 'x-test': 'yes' });
    expect(delivery.messageId).toBe('m-1');
    consumer.ack(delivery);
    await consumer.close();
    expect(await connection.queueDepth(queue)).toBe(0);
  });

  it('rejects a publish to a missing exchange with 404 without failing other publishes', async () => {
    const { exchange, queue } = await queueWithExchange('missing');
    const good = Array.from({ length: 50 }, (_, i) =>
      connection.publish(exchange, 'k', Buffer.from(String(i))),
    );
    const bad = connection.publish(`it.no-such-exchange.${suffix}`, 'k', Buffer.from('x'));
    await expect(bad).rejects.toMatchObject({ replyCode: 404 });
    await Promise.all(good);
    expect(await connection.queueDepth(queue)).toBe(50);
  });

  it('carries 5,000 messages publish -> consume -> ack in order, exactly once', async () => {
    const { exchange, queue } = await queueWithExchange('bulk');
    const n = 5000;
    const seen: number[] = [];
    let consumer!: Consumer;
    const all = new Promise<void>((resolve) => {
      void connection
        .consume(
          queue,
          (d) => {
            seen.push(Number(d.body.toString()));
            consumer.ack(d);
            if (seen.length === n) resolve();
          },
          { prefetch: 256 },
        )
        .then((c) => (consumer = c));
    });
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        connection.publish(exchange, 'k', Buffer.from(String(i))),
      ),
    );
    await all;
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
    await consumer.close();
    expect(await connection.queueDepth(queue)).toBe(0);
  });

  it('cancel, then settle, then close leaves exactly the unacked messages queued', async () => {
    const { exchange, queue } = await queueWithExchange('cancel');
    for (let i = 0; i < 10; i++) await connection.publish(exchange, 'k', Buffer.from(String(i)));
    const got: Delivery[] = [];
    const consumer = await connection.consume(queue, (d) => got.push(d), { prefetch: 10 });
    await eventually(() => Promise.resolve(got.length === 10), '10 deliveries');
    await consumer.cancel();
    await connection.publish(exchange, 'k', Buffer.from('after-cancel'));
    for (const d of got.slice(0, 4)) consumer.ack(d);
    await consumer.close();
    expect(got).toHaveLength(10);
    await eventually(
      async () => (await connection.queueDepth(queue)) === 7,
      '6 unacked + 1 new queued',
    );
    const rest: string[] = [];
    const drain = await connection.consume(queue, (d) => rest.push(d.body.toString()), {
      prefetch: 20,
    });
    await eventually(() => Promise.resolve(rest.length === 7), 'redelivery');
    expect(rest).toEqual(['4', '5', '6', '7', '8', '9', 'after-cancel']);
    await drain.close();
  });

  it('browses a queue in place, takes from its head only after the handler resolved, purges it', async () => {
    const { exchange, queue } = await queueWithExchange('browse');
    for (const n of [1, 2, 3, 4]) {
      await connection.publish(exchange, 'k', Buffer.from(String(n)), { headers: { n } });
    }
    const browsed = await connection.browse(queue, 10);
    expect(browsed.map((m) => [m.body.toString(), m.headers.n, m.routingKey])).toEqual([
      ['1', 1, 'k'],
      ['2', 2, 'k'],
      ['3', 3, 'k'],
      ['4', 4, 'k'],
    ]);
    expect((await connection.browse(queue, 2)).map((m) => m.body.toString())).toEqual(['1', '2']);
    await eventually(async () => (await connection.queueDepth(queue)) === 4, 'all back in place');

    const handled: string[] = [];
    expect(
      await connection.take(queue, 2, async (m) => {
        handled.push(m.body.toString());
      }),
    ).toBe(2);
    await expect(
      connection.take(queue, 2, () => Promise.reject(new Error('republish refused'))),
    ).rejects.toThrow('republish refused');
    // The refused one stays at the head, in order.
    await eventually(async () => (await connection.queueDepth(queue)) === 2, 'refused kept');
    expect((await connection.browse(queue, 10)).map((m) => m.body.toString())).toEqual(['3', '4']);
    await eventually(async () => (await connection.queueDepth(queue)) === 2, 'browsed back');

    expect(await connection.purge(queue)).toBe(2);
    expect(await connection.queueDepth(queue)).toBe(0);
    expect(handled).toEqual(['1', '2']);
  });

  it('answers RPC requests', async () => {
    const queue = name('rpc');
    await connection.assert({ queues: [{ name: queue, durable: false, autoDelete: false }] });
    const server = new RpcServer(connection);
    const client = new RpcClient(connection);
    await server.serve(queue, (payload) => Promise.resolve({ ok: true, echo: payload }));
    await expect(client.request('', queue, { ping: 1 }, 5000)).resolves.toEqual({
      ok: true,
      echo: { ping: 1 },
    });
    await client.close();
    await server.close();
  });

  it('reconnects after its connection is closed, redeclares and resubscribes', async () => {
    const { exchange, queue } = await queueWithExchange('reconnect');
    const replyLike = `it.exclusive.${suffix}`;
    await connection.assert({
      queues: [{ name: replyLike, durable: false, exclusive: true, autoDelete: false }],
      bindings: [{ queue: replyLike, exchange, routingKey: 'ex' }],
    });
    const got: Delivery[] = [];
    const exclusiveGot: string[] = [];
    const ourConsumer = await connection.consume(queue, (d) => got.push(d), { prefetch: 10 });
    await connection.consume(replyLike, (d) => exclusiveGot.push(d.body.toString()), {
      prefetch: 10,
      exclusive: true,
    });
    await connection.publish(exchange, 'k', Buffer.from('before'));
    await eventually(() => Promise.resolve(got.length === 1), 'first delivery');
    expect(got[0].redelivered).toBe(false);

    rabbitmqctl('close_connection', connectionPid(CONNECTION_NAME), 'broker test: reconnect');

    // The unacked delivery comes back on the new channel, marked redelivered.
    await eventually(() => Promise.resolve(got.length === 2), 'redelivery after reconnect');
    expect(got[1].body.toString()).toBe('before');
    expect(got[1].redelivered).toBe(true);
    // Settling the dead channel's delivery is a no-op, not a crash.
    expect(() => ourConsumer.ack(got[0])).not.toThrow();
    ourConsumer.ack(got[1]);

    await connection.publish(exchange, 'k', Buffer.from('after'));
    await connection.publish(exchange, 'ex', Buffer.from('exclusive-after'));
    await eventually(() => Promise.resolve(got.length === 3), 'delivery after reconnect');
    expect(got[2].body.toString()).toBe('after');
    ourConsumer.ack(got[2]);
    await ourConsumer.close();
    expect(await connection.queueDepth(queue)).toBe(0);
    await eventually(
      () => Promise.resolve(exclusiveGot.includes('exclusive-after')),
      'exclusive queue redeclared',
    );
  });
});
