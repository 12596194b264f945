/**
 * The Flink runtime driver against the real Flink 1.20 session cluster (scripts/flink/up.sh,
 * started here when nothing answers) and the real RabbitMQ (vhost `edge`): a filter rule is
 * installed, started, fed, stopped with a savepoint, fed while stopped, started again from the
 * savepoint and uninstalled; every output is seen exactly once. A missing service fails the
 * test: it is never skipped.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import {
  type BrokerConfig,
  type BrokerConnection,
  createBrokerRegistry,
  declareRuleTopology,
} from '@ruleshift/broker';
import { DEAD_LETTER_EXCHANGE, type RuleConfig } from '@ruleshift/contracts';
import { FlinkRestClient } from '@ruleshift/flink-client';
import { DEFAULT_TEMPLATES_DIR, TemplateCatalog } from '@ruleshift/templates';
import { FlinkBrokerArgs, FlinkJobDriver, InMemoryFlinkDeploymentStore } from '@ruleshift/adapter';
import { AmqpTestClient, type Collector } from './support/amqp';
import { ensureClusterAnswers } from './support/flink';
import { EDGE_AMQP_URL, CORE_AMQP_URL, FLINK_REST_URL } from './support/services';

const REPO = path.resolve(__dirname, '../..');
const CLUSTER = 'flink';

async function until(
  check: () => Promise<boolean> | boolean,
  what: string,
  ms = 60_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Time for anything extra (a duplicate) to arrive before counting. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 2000));

interface Reading {
  deviceId: string;
  seq: number;
  temp: number;
}

const readings = (from: number, count: number): Reading[] =>
  Array.from({ length: count }, (_, i) => ({
    deviceId: `dev-${(from + i) % 3}`,
    seq: from + i,
    temp: 20 + (((from + i) * 7) % 25),
  }));
const hot = (events: Reading[]): Reading[] => events.filter((e) => e.temp > 30);

describe('FlinkJobDriver on a real Flink cluster and RabbitMQ', () => {
  const flink = new FlinkRestClient({ baseUrl: FLINK_REST_URL, requestTimeoutMs: 20_000 });
  const brokerConfig: BrokerConfig = {
    named: {
      edge: { kind: 'amqp', url: EDGE_AMQP_URL },
      core: { kind: 'amqp', url: CORE_AMQP_URL },
    },
  };
  const brokers = createBrokerRegistry('flink-driver-it', brokerConfig);
  const store = new InMemoryFlinkDeploymentStore();
  const jobId = randomUUID();
  const prefix = `flink-it-${jobId.slice(0, 8)}`;
  const config: RuleConfig = {
    jobId,
    jobType: 'filter',
    templateVersion: '1.0.0',
    connectors: {
      inputEndpoint: 'edge',
      inputExchange: `${prefix}.in`,
      inputQueue: `${prefix}.rule-input`,
      inputRoutingKey: 'sensors.temperature',
      outputEndpoint: 'edge',
      outputExchange: `${prefix}.out`,
      outputRoutingKey: 'alerts.temperature',
    },
    jobProps: { condition: '>', threshold: 30, fieldName: 'temp', fieldJsonPath: '$.temp' },
    deadLetterExchange: DEAD_LETTER_EXCHANGE,
  };
  const job = {
    jobId,
    jobType: 'filter',
    templateVersion: '1.0.0',
    runtime: 'flink' as const,
    targetResource: CLUSTER,
  };
  const flinkJobIds = new Set<string>();
  let driver: FlinkJobDriver;
  let amqp: AmqpTestClient;
  let edge: BrokerConnection;
  let outputs: Collector;
  let jarId: string | undefined;

  const publish = async (events: Reading[]): Promise<void> => {
    for (const event of events) {
      // A unique correlation id per event lets the job deduplicate a redelivery.
      amqp.channel.publish(
        config.connectors.inputExchange,
        config.connectors.inputRoutingKey,
        Buffer.from(JSON.stringify(event)),
        {
          persistent: true,
          contentType: 'application/json',
          correlationId: `${prefix}-${event.seq}`,
        },
      );
    }
    await amqp.channel.waitForConfirms();
  };
  const deployedFlinkJobId = async (): Promise<string | null> =>
    (await store.findDeployment(jobId))?.flinkJobId ?? null;

  beforeAll(async () => {
    await ensureClusterAnswers(flink);
    execFileSync('bash', [path.join(REPO, 'scripts/flink/build-jobs.sh')], {
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 600_000,
    });
    const catalog = await TemplateCatalog.load(DEFAULT_TEMPLATES_DIR);
    driver = new FlinkJobDriver(
      [
        {
          name: CLUSTER,
          client: flink,
          brokerArgs: new FlinkBrokerArgs(brokerConfig),
          startTimeoutMs: 120_000,
          savepointTimeoutMs: 120_000,
          checkpointIntervalMs: 1000,
        },
      ],
      catalog,
      store,
    );
    await declareRuleTopology(brokers, config);
    edge = await brokers.get('edge');
    amqp = await AmqpTestClient.connect(EDGE_AMQP_URL);
    outputs = await amqp.collect(
      config.connectors.outputExchange,
      config.connectors.outputRoutingKey,
      `${prefix}.collector`,
    );
  });

  afterAll(async () => {
    // Leave the shared cluster (4 slots) as we found it, whatever happened above.
    const current = await deployedFlinkJobId().catch(() => null);
    if (current) flinkJobIds.add(current);
    for (const id of flinkJobIds) await flink.cancelJob(id).catch(() => undefined);
    if (jarId) await flink.deleteJar(jarId).catch(() => undefined);
    await edge?.deleteQueue(config.connectors.inputQueue).catch(() => undefined);
    await edge?.deleteQueue(`${prefix}.collector`).catch(() => undefined);
    await amqp?.close().catch(() => undefined);
    await brokers.closeAll();
  });

  it('runs, stops with a savepoint, resumes from it and uninstalls a filter rule', async () => {
    const startedAt = Date.now();
    await driver.install(job, config);
    await driver.start(job);
    const installToRunningMs = Date.now() - startedAt;
    console.log(`flink driver: install+start -> RUNNING in ${installToRunningMs} ms`);

    jarId = (await store.findDeployment(jobId))?.jarId;
    expect((await flink.listJars()).map((jar) => jar.id)).toContain(jarId);
    const first = await deployedFlinkJobId();
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    flinkJobIds.add(first!);
    const running = await flink.getJob(first!);
    expect(running.state).toBe('RUNNING');
    expect(running.vertices.every((v) => v.status === 'RUNNING')).toBe(true);

    const batch1 = readings(0, 40);
    await publish(batch1);
    await until(() => outputs.count >= hot(batch1).length, 'first outputs');
    await settle();
    expect(outputs.json<Reading>()).toEqual(hot(batch1));

    await expect(driver.stop(job)).resolves.toBeUndefined();
    // The live overview: GET /jobs/{id} is cached for Flink's web.refresh-interval and can still
    // say RUNNING for a job that stop-with-savepoint has already ended.
    expect(['FINISHED', 'CANCELED']).toContain((await flink.jobProgress(first!))?.state);
    const stopped = await store.findDeployment(jobId);
    expect(stopped?.flinkJobId).toBeNull();
    expect(stopped?.savepointPath).toMatch(/savepoint-/);

    // Nothing consumes while stopped: the events wait in the durable input queue.
    const batch2 = readings(40, 40);
    await publish(batch2);
    await until(
      async () => (await edge.queueDepth(config.connectors.inputQueue)) === batch2.length,
      'stopped rule input waiting in its queue',
    );
    expect(outputs.count).toBe(hot(batch1).length);

    const restartAt = Date.now();
    await driver.start(job);
    console.log(`flink driver: start from savepoint -> RUNNING in ${Date.now() - restartAt} ms`);
    const second = await deployedFlinkJobId();
    expect(second).toMatch(/^[0-9a-f]{32}$/);
    expect(second).not.toBe(first);
    flinkJobIds.add(second!);
    await until(() => outputs.count >= hot([...batch1, ...batch2]).length, 'outputs after restart');
    await settle();
    expect(outputs.json<Reading>()).toEqual(hot([...batch1, ...batch2]));

    await driver.uninstall(job);
    expect((await flink.jobProgress(second!))?.state).toBe('CANCELED');
    expect(await store.findDeployment(jobId)).toBeNull();
    for (const id of flinkJobIds) {
      expect(['FINISHED', 'CANCELED']).toContain((await flink.jobProgress(id))?.state);
    }
  });
});
