/**
 * The edge engine's windows and joins with durable state, against the real system: a
 * window-aggregation and a window-join rule run on agent gw1, the agent is SIGKILLed at a random
 * point of the stream and restarted, and the outputs (duplicates dropped by message id, as
 * docs/snapshot-format.md allows) equal an uninterrupted run of the same template in-process.
 */
import { DEAD_LETTER_HEADERS } from '@ruleshift/contracts';
import { asMultiset, loadEdgeRuleModule, runVector, type TestVector } from '@ruleshift/engine';
import { resolve } from 'node:path';
import type { AmqpTestClient, Collector } from './support/amqp';
import { uniqueConnectors } from './support/rules';
import { type RuleshiftSystem, sleep, waitUntil } from './support/system';
import { printLogsOnFailure, startTestSystem, type TestSystem } from './support/test-system';

interface JobInfo {
  jobId: string;
  jobStatus: string;
}
interface JobView {
  metrics?: Record<string, unknown> & { deadLettered?: Record<string, number> };
}

const templates = resolve(__dirname, '../../templates');
const T0 = Date.UTC(2026, 0, 1);
const FAR = T0 + 10_000_000;
const KEYS = 50;
/** Closes the aggregation window [FAR, FAR + 1000) of k0 (the final event's), and no other. */
const SENTINEL_TS = FAR + 1000 + 200;
const SENTINEL_BAD_EVENT = 'not json: the sentinel';
/** A join key of its own: its pair is the join's sentinel output. */
const SENTINEL_KEY = 'sentinel';

const aggregationProps = {
  aggregate: 'sum',
  fieldJsonPath: '$.v',
  window: { kind: 'tumbling', time: 'event', sizeMs: 1000 },
  timeFieldJsonPath: '$.ts',
  groupByJsonPath: '$.k',
  maxOutOfOrdernessMs: 200,
};
/**
 * Two queues are consumed side by side, in an order no test controls (least of all after a
 * restart): a bound above the stream's whole event-time span makes no event late, so the pairs
 * (emitted as they meet) do not depend on it. Lateness is covered by the aggregation.
 */
const joinProps = {
  leftKeyJsonPath: '$.k',
  rightKeyJsonPath: '$.k',
  timeFieldJsonPath: '$.ts',
  windowSizeMs: 1000,
  maxOutOfOrdernessMs: 60_000,
};

/** 20,000 readings over 50 keys, with bad and late events spread through the stream. */
function aggregationStream(): Buffer[] {
  const bodies: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    bodies.push(JSON.stringify({ k: `k${i % KEYS}`, v: i % 13, ts: T0 + i * 5, i }));
    if (i % 1000 === 500) bodies.push(`not json ${i}`);
    if (i % 1000 === 700) bodies.push(JSON.stringify({ k: 'k1', v: 1, i })); // no ts
    if (i % 1500 === 1499) bodies.push(JSON.stringify({ k: 'k2', v: 1, ts: T0, i })); // late
  }
  bodies.push(JSON.stringify({ k: 'k0', v: 0, ts: FAR, i: -1 }));
  return bodies.map((body) => Buffer.from(body));
}

function joinStream(): { left: Buffer[]; right: Buffer[] } {
  const left: Buffer[] = [];
  const right: Buffer[] = [];
  for (let i = 0; i < 4000; i++) {
    left.push(Buffer.from(JSON.stringify({ k: `k${i % KEYS}`, ts: T0 + i * 10, side: 'l', i })));
    right.push(
      Buffer.from(JSON.stringify({ k: `k${(i + 7) % KEYS}`, ts: T0 + i * 10 + 5, side: 'r', i })),
    );
  }
  return { left, right };
}

/** What an uninterrupted run emits for windows closed by the final far-future event. */
async function expectedOutputs(
  jobType: string,
  jobProps: Record<string, unknown>,
  inputs: { input: number; body: Buffer }[],
  maxOutOfOrdernessMs: number,
): Promise<{ outputs: unknown[]; deadLetters: string[] }> {
  const module = loadEdgeRuleModule(`${templates}/${jobType}/edge/rule.js`);
  const vector: TestVector = {
    name: jobType,
    jobProps,
    inputs: inputs.map(({ input, body }) => ({ input, raw: body.toString() })),
    expected: { outputs: [], deadLetters: [] },
    ordered: false,
  };
  const result = await runVector(module, vector);
  const closedBy = FAR - maxOutOfOrdernessMs;
  return {
    outputs: result.outputs.filter((o) => (o as { windowEnd: number }).windowEnd <= closedBy),
    deadLetters: result.deadLetters.map((d) => d.reason).sort(),
  };
}

/** Messages a downstream consumer keeps when it drops repeated message ids. */
function distinct(collector: Collector): { body: string; reason?: string }[] {
  const seen = new Set<string>();
  const kept: { body: string; reason?: string }[] = [];
  for (const message of collector.messages) {
    const id = message.properties.messageId as string | undefined;
    if (id !== undefined) {
      if (seen.has(id)) continue;
      seen.add(id);
    }
    const headers = message.properties.headers ?? {};
    kept.push({
      body: message.content.toString(),
      reason: headers[DEAD_LETTER_HEADERS.reason] as string | undefined,
    });
  }
  return kept;
}

describe('edge windows and joins survive SIGKILL of the agent (real RabbitMQ + PostgreSQL)', () => {
  let testSystem: TestSystem | undefined;
  let system: RuleshiftSystem;
  let amqp: AmqpTestClient;

  beforeAll(async () => {
    testSystem = await startTestSystem({ agents: ['gw1'] });
    ({ system, amqp } = testSystem);
  });

  afterAll(() => testSystem?.stop());

  printLogsOnFailure(() => system);

  const installAndStart = async (body: Record<string, unknown>): Promise<JobInfo> => {
    const installed = await system.api<JobInfo>('POST', '/api/install', body);
    expect(installed.status).toBe(200);
    const started = await system.api<JobInfo>('POST', '/api/start', installed.body);
    expect(started.body.jobStatus).toBe('RUNNING');
    return started.body;
  };

  it('aggregates and joins exactly once across a SIGKILL; bad and late events are dead-lettered; metrics flow', async () => {
    const agg = { ...uniqueConnectors('win-agg'), prefetch: 2000 };
    const joinConnectors = { ...uniqueConnectors('win-join'), prefetch: 2000 };
    const secondInput = {
      endpoint: 'edge',
      exchange: `${joinConnectors.inputExchange}.right`,
      queue: `${joinConnectors.inputQueue}.right`,
      routingKey: 'right',
    };
    const aggJob = await installAndStart({
      headers: { runtime: 'edge', targetResource: 'gw1', jobType: 'window-aggregation' },
      jobConfig: { connectors: agg },
      jobProps: aggregationProps,
    });
    const joinJob = await installAndStart({
      headers: { runtime: 'edge', targetResource: 'gw1', jobType: 'window-join' },
      jobConfig: { connectors: { ...joinConnectors, secondInput } },
      jobProps: joinProps,
    });

    const aggOut = await amqp.collect(
      agg.outputExchange,
      agg.outputRoutingKey,
      `${agg.outputExchange}.c`,
    );
    const aggDlq = await amqp.collectExisting(`ruleshift.dlq.${aggJob.jobId}`);
    const joinOut = await amqp.collect(
      joinConnectors.outputExchange,
      joinConnectors.outputRoutingKey,
      `${joinConnectors.outputExchange}.c`,
    );

    const aggEvents = aggregationStream();
    const { left, right } = joinStream();
    const aggExpected = await expectedOutputs(
      'window-aggregation',
      aggregationProps,
      aggEvents.map((body) => ({ input: 0, body })),
      aggregationProps.maxOutOfOrdernessMs,
    );
    const joinInputs = left.flatMap((body, i) => [
      { input: 0, body },
      { input: 1, body: right[i] },
    ]);
    const joinExpected = await expectedOutputs(
      'window-join',
      joinProps,
      joinInputs,
      joinProps.maxOutOfOrdernessMs,
    );
    expect(aggExpected.outputs.length).toBeGreaterThan(4000);
    expect(joinExpected.outputs.length).toBeGreaterThan(1000);

    // A random kill point: part of the stream before, the rest while the agent is down.
    const fraction = 0.3 + Math.random() * 0.4;
    const aggSplit = Math.floor(aggEvents.length * fraction);
    const joinSplit = Math.floor(left.length * fraction);
    const publishJoin = async (from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i += 250) {
        const end = Math.min(i + 250, to);
        await amqp.publishRaw(
          joinConnectors.inputExchange,
          joinConnectors.inputRoutingKey,
          left.slice(i, end),
        );
        await amqp.publishRaw(secondInput.exchange, secondInput.routingKey, right.slice(i, end));
      }
    };
    await Promise.all([
      amqp.publishRaw(agg.inputExchange, agg.inputRoutingKey, aggEvents.slice(0, aggSplit)),
      publishJoin(0, joinSplit),
    ]);
    await waitUntil(
      'windows fired before the kill',
      async () => aggOut.count > 0 && joinOut.count > 0,
      60_000,
    );
    await sleep(Math.floor(Math.random() * 1500));
    await system.kill('gw1', 'SIGKILL');

    await Promise.all([
      amqp.publishRaw(agg.inputExchange, agg.inputRoutingKey, aggEvents.slice(aggSplit)),
      publishJoin(joinSplit, left.length),
    ]);
    system.restart('gw1');
    await system.waitForAgents(['gw1']);

    const progress = (): string =>
      `agg ${distinct(aggOut).length}/${aggExpected.outputs.length} (raw ${aggOut.count}), ` +
      `join ${distinct(joinOut).length}/${joinExpected.outputs.length} (raw ${joinOut.count}), ` +
      `dlq ${distinct(aggDlq).length}/${aggExpected.deadLetters.length}`;
    await waitUntil(
      'all windows out after the restart',
      async () =>
        distinct(aggOut).length >= aggExpected.outputs.length &&
        distinct(joinOut).length >= joinExpected.outputs.length &&
        distinct(aggDlq).length >= aggExpected.deadLetters.length,
      240_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}: ${progress()}`);
    });
    // Sentinels published after the whole stream: each rule handles its queue(s) in order and
    // publishes in emission order, so once their outputs are out, anything extra the stream
    // caused (a double count, a repeated dead letter) is out too.
    await amqp.publishRaw(agg.inputExchange, agg.inputRoutingKey, [
      Buffer.from(SENTINEL_BAD_EVENT),
      Buffer.from(JSON.stringify({ k: 'k0', v: 0, ts: SENTINEL_TS, i: -2 })),
    ]);
    await amqp.publishJson(joinConnectors.inputExchange, joinConnectors.inputRoutingKey, [
      { k: SENTINEL_KEY, ts: T0, side: 'l', i: -1 },
    ]);
    await amqp.publishJson(secondInput.exchange, secondInput.routingKey, [
      { k: SENTINEL_KEY, ts: T0, side: 'r', i: -1 },
    ]);
    await waitUntil(
      'the sentinels through',
      async () =>
        distinct(aggOut).some((m) => m.body.includes(`"windowEnd":${FAR + 1000}`)) &&
        distinct(aggDlq).some((m) => m.body === SENTINEL_BAD_EVENT) &&
        distinct(joinOut).some((m) => m.body.includes(`"key":"${SENTINEL_KEY}"`)),
      60_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}: ${progress()}`);
    });

    // Only windows the final event closed (a join pairs on arrival, even in the last window).
    const closed = (kept: { body: string }[], maxOutOfOrdernessMs: number): unknown[] =>
      kept
        .map((m) => JSON.parse(m.body) as { windowEnd: number; key: unknown })
        .filter((o) => o.windowEnd <= FAR - maxOutOfOrdernessMs && o.key !== SENTINEL_KEY);
    expect(asMultiset(closed(distinct(aggOut), aggregationProps.maxOutOfOrdernessMs))).toEqual(
      asMultiset(aggExpected.outputs),
    );
    expect(asMultiset(closed(distinct(joinOut), joinProps.maxOutOfOrdernessMs))).toEqual(
      asMultiset(joinExpected.outputs),
    );

    const letters = distinct(aggDlq).filter((l) => l.body !== SENTINEL_BAD_EVENT);
    expect(letters.map((l) => l.reason).sort()).toEqual(aggExpected.deadLetters);
    expect(aggExpected.deadLetters).toEqual(
      expect.arrayContaining(['late', 'missing-field', 'not-json']),
    );
    expect(letters.find((l) => l.reason === 'not-json')?.body).toMatch(/^not json \d+$/);

    await waitUntil(
      'metrics from the heartbeat',
      async () => {
        const job = await system.api<JobView>('GET', `/api/jobs/${aggJob.jobId}`);
        const metrics = job.body.metrics;
        return (
          metrics?.watermark === SENTINEL_TS - aggregationProps.maxOutOfOrdernessMs &&
          (metrics.eventsIn as number) > 0
        );
      },
      30_000,
    );
    const { body } = await system.api<JobView>('GET', `/api/jobs/${aggJob.jobId}`);
    expect(body.metrics).toMatchObject({
      eventsIn: expect.any(Number),
      eventsOut: expect.any(Number),
      late: expect.any(Number),
      watermark: SENTINEL_TS - aggregationProps.maxOutOfOrdernessMs,
      stateKeys: expect.any(Number),
      stateBytes: expect.any(Number),
    });
    expect(body.metrics?.eventsOut as number).toBeGreaterThan(0);
    expect(body.metrics?.stateKeys as number).toBeGreaterThan(0);
    expect(body.metrics?.stateBytes as number).toBeGreaterThan(0);
    const join = await system.api<JobView>('GET', `/api/jobs/${joinJob.jobId}`);
    expect(join.body.metrics?.eventsIn as number).toBeGreaterThan(0);
    // Metrics count since the agent's restart; the rest of the stream had bad and late events.
    expect(body.metrics?.deadLettered).toMatchObject({
      'not-json': expect.any(Number),
      'missing-field': expect.any(Number),
      late: expect.any(Number),
    });
  }, 420_000);
});
