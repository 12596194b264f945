/**
 * Issue 7 defect 8: a window-aggregation rule's Flink job is cancelled behind ruleshift's back
 * (the registry then says FAILED) after its inputs were checkpointed and acked, and is started
 * again through the API. The new job must resume from the newest retained checkpoint, so the
 * window outputs equal those of an undisturbed run: none lost, none counted twice.
 *
 * Needs a Flink cluster that may be disturbed: run it against your own (FLINK_REST_URL, see the
 * brief) rather than the shared one. Real RabbitMQ and PostgreSQL.
 */
import type { AmqpTestClient } from './support/amqp';
import {
  callApi,
  type FlinkTestSystem,
  liveFlinkJobsOf,
  startFlinkTestSystem,
} from './support/flink';
import { type JobInfo, jobDetails, windowCountInstallation } from './support/flink-rules';
import { uniqueConnectors } from './support/rules';
import { FLINK_REST_URL } from './support/services';
import { type RuleshiftSystem, waitUntil } from './support/system';
import { printLogsOnFailure } from './support/test-system';

const CLUSTER = 'flink';

interface WindowOutput {
  windowStart: number;
  key: string;
  value: number;
}

/** Ids of the job's newest completed checkpoint (0 before the first one). */
async function latestCheckpointId(flinkJobId: string): Promise<number> {
  const response = await fetch(`${FLINK_REST_URL}/jobs/${flinkJobId}/checkpoints`);
  const body = (await response.json()) as { latest?: { completed?: { id: number } | null } };
  return body.latest?.completed?.id ?? 0;
}

/** Event-time readings of two devices, `perWindow` per device in each 1 s window of `windows`. */
function readingsIn(windows: number[], perWindow: number): { device: string; ts: number }[] {
  return windows.flatMap((start) =>
    ['a', 'b'].flatMap((device) =>
      Array.from({ length: perWindow }, (_, i) => ({ device, ts: start + 10 + i * 10 })),
    ),
  );
}

describe('Flink rule restarted after FAILED (real Flink, RabbitMQ, PostgreSQL)', () => {
  let flink: FlinkTestSystem | undefined;
  let system: RuleshiftSystem;
  let amqp: AmqpTestClient;
  let producer: AmqpTestClient;
  const started = new Set<string>();

  beforeAll(async () => {
    flink = await startFlinkTestSystem(started);
    ({ system, amqp, producer } = flink);
  }, 900_000);

  afterAll(() => flink?.stop());

  printLogsOnFailure(() => system);

  const call = (op: string, body: unknown): Promise<JobInfo> => callApi(system, op, body);

  it('resumes from the newest checkpoint: window outputs equal an undisturbed run', async () => {
    const connectors = uniqueConnectors('flink-restart');
    const installed = await call('install', windowCountInstallation('flink', CLUSTER, connectors));
    started.add(installed.jobId);
    await call('start', installed);
    const output = await amqp.collect(
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );

    // Window [0, 1000) of both devices is open; its events are consumed, checkpointed, acked.
    const before = readingsIn([0], 30);
    await producer.publishJson(connectors.inputExchange, connectors.inputRoutingKey, before);
    await waitUntil('the Flink job took the events', async () => {
      const queue = await amqp.channel.checkQueue(connectors.inputQueue);
      return queue.messageCount === 0;
    });
    const [first] = await liveFlinkJobsOf(installed.jobId);
    const seen = await latestCheckpointId(first.jid);
    // Two more checkpoints: the second one's barrier follows every event the source buffered.
    await waitUntil(
      'two checkpoints after the events were taken',
      async () => (await latestCheckpointId(first.jid)) >= seen + 2,
      60_000,
    );

    // The job dies behind ruleshift's back; the monitor reports the rule FAILED.
    const cancel = await fetch(`${FLINK_REST_URL}/jobs/${first.jid}?mode=cancel`, {
      method: 'PATCH',
    });
    expect(cancel.status).toBe(202);
    await waitUntil(
      'the rule reported FAILED',
      async () => (await jobDetails(system, installed.jobId)).jobStatus === 'FAILED',
      60_000,
    );

    const restarted = await call('start', installed);
    expect(restarted.jobStatus).toBe('RUNNING');
    const after = readingsIn([1000], 20);
    // ts 5000 moves the watermark past both windows, so both fire.
    await producer.publishJson(connectors.inputExchange, connectors.inputRoutingKey, [
      ...after,
      { device: 'z', ts: 5000 },
    ]);

    await waitUntil(
      'the outputs of window [1000, 2000)',
      async () => output.json<WindowOutput>().filter((o) => o.windowStart === 1000).length === 2,
      120_000,
      500,
    );
    const windows = output
      .json<WindowOutput>()
      .map(({ windowStart, key, value }) => ({ windowStart, key, value }))
      // Both keys' windows fire on one timer: their relative order is not defined.
      .sort((x, y) => x.windowStart - y.windowStart || x.key.localeCompare(y.key));
    expect(windows).toEqual([
      { windowStart: 0, key: 'a', value: 30 },
      { windowStart: 0, key: 'b', value: 30 },
      { windowStart: 1000, key: 'a', value: 20 },
      { windowStart: 1000, key: 'b', value: 20 },
    ]);
  });
});
