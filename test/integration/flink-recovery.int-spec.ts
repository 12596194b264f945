/**
 * A filter rule's Flink job loses its TaskManager (kill -9) while events flow; a new
 * TaskManager is started and Flink restores the job from its last checkpoint. Every event the
 * broker confirmed reaches the output at least once, and the rule is still RUNNING in the API.
 * Runs against the real Flink cluster, RabbitMQ and PostgreSQL; the TaskManager is always
 * restarted, whatever happens.
 */
import type { AmqpTestClient } from './support/amqp';
import {
  callApi,
  type FlinkTestSystem,
  liveFlinkJobsOf,
  startFlinkTestSystem,
  taskManager,
} from './support/flink';
import { type JobInfo, jobDetails } from './support/flink-rules';
import { aboveThreshold, filterInstallation, readings, uniqueConnectors } from './support/rules';
import { type RuleshiftSystem, sleep, waitUntil } from './support/system';
import { printLogsOnFailure } from './support/test-system';

const CLUSTER = 'flink';

describe('Flink job recovery after a lost TaskManager (real Flink, RabbitMQ, PostgreSQL)', () => {
  let flink: FlinkTestSystem | undefined;
  let system: RuleshiftSystem;
  let amqp: AmqpTestClient;
  let producer: AmqpTestClient;
  const started = new Set<string>();

  beforeAll(async () => {
    flink = await startFlinkTestSystem(started);
    ({ system, amqp, producer } = flink);
  }, 900_000);

  afterAll(async () => {
    // Other tests need the cluster whole: bring a TaskManager back if this test left none.
    taskManager('start');
    await flink?.stop();
  });

  printLogsOnFailure(() => system);

  const call = (op: string, body: unknown): Promise<JobInfo> => callApi(system, op, body);

  it('restores the job from its checkpoint: no confirmed event is lost, the rule stays RUNNING', async () => {
    const connectors = uniqueConnectors('flink-recovery');
    const installed = await call('install', filterInstallation(CLUSTER, connectors, 'flink'));
    started.add(installed.jobId);
    const running = await call('start', installed);
    expect(running.jobStatus).toBe('RUNNING');
    const [before] = await liveFlinkJobsOf(installed.jobId);
    const output = await amqp.collect(
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );
    const events = readings(10_000);
    const expected = aboveThreshold(events);
    // Paced over ~12 s, so events are both in flight at the kill and published during the outage.
    const publishing = (async () => {
      for (let i = 0; i < events.length; i += 250) {
        await producer.publishJson(
          connectors.inputExchange,
          connectors.inputRoutingKey,
          events.slice(i, i + 250),
        );
        await sleep(300);
      }
    })();

    await waitUntil('outputs before the crash', async () => output.count > 500, 120_000);
    taskManager('kill');
    const atKill = output.count;
    await sleep(3_000);
    taskManager('start');
    await publishing;

    await waitUntil(
      'every expected output after recovery',
      async () => {
        const seen = new Set(output.json<{ seq: number }>().map((e) => e.seq));
        return expected.every((e) => seen.has(e.seq));
      },
      180_000,
      500,
    );
    expect(atKill).toBeLessThan(expected.length);
    // At least once across the crash, and nothing that should not pass the filter.
    const seqs = new Set(output.json<{ seq: number }>().map((e) => e.seq));
    expect([...seqs].sort((a, b) => a - b)).toEqual(expected.map((e) => e.seq));
    console.log(
      `flink recovery: ${expected.length} expected, ${output.count} received ` +
        `(${output.count - expected.length} replayed after the restore)`,
    );

    // The same Flink job recovered (no resubmission), and the registry still says RUNNING.
    await waitUntil('the Flink job RUNNING again', async () => {
      const live = await liveFlinkJobsOf(installed.jobId);
      return live.length === 1 && live[0].state === 'RUNNING';
    });
    expect((await liveFlinkJobsOf(installed.jobId)).map((j) => j.jid)).toEqual([before.jid]);
    const details = await jobDetails(system, installed.jobId);
    expect(details.jobStatus).toBe('RUNNING');
    expect(details.history.map((h) => h.status)).toEqual(['INSTALLED', 'RUNNING']);

    expect((await call('uninstall', running)).jobStatus).toBe('UNINSTALLED');
    expect(await liveFlinkJobsOf(installed.jobId)).toHaveLength(0);
  });
});
