/**
 * 9. A three-stage edge pipeline through RabbitMQ (POST /api/pipelines, all stages on agent
 * gw1): a filter every event passes -> business rules (3 rules tagging and setting a field, no
 * event dropped) -> a second pass-all filter writing to the bench's exchange. Two figures:
 * - end-to-end events/s: the first stage's queue preloaded with N events while the pipeline is
 *   stopped, then the pipeline started; first to N-th arrival downstream (median of the reps),
 *   beside three bare amqplib relays chained the same way (same broker, same hops, no rules),
 *   alternating, in the same run: the ceiling the machine and broker allow;
 * - latency at a steady 2,000 events/s (BENCH_PIPELINE_RATE) for ~10 s: output arrival -
 *   `sentAt`, first second not counted.
 * Every event crosses RabbitMQ three times (the input queue and two intermediate queues).
 */
import { randomUUID } from 'node:crypto';
import { startBareRelay } from '../amqp-relay';
import { benchEvent } from '../payload';
import { median, percentile, report, round } from '../stats';
import { AGENTS, type BenchContext } from './bench-context';
import { pace } from './pacer';
import type { ApiCaller } from './rules-client';
import { positiveIntEnv } from './settings';
import { timePreloaded } from './throughput';

const BENCH = 'edge-pipeline';
const WARMUP_MS = 1000;

const passAll = (name: string, extra: Record<string, unknown>) => ({
  name,
  headers: { runtime: 'edge', targetResource: AGENTS.first, jobType: 'filter' },
  jobProps: { condition: '>', threshold: -1000, fieldName: 'temperature' },
  ...extra,
});

/** The pipeline object; the adapter names and declares the queues between the stages. */
function pipelineObject(name: string, input: Route, output: Route) {
  return {
    name,
    stages: [
      passAll('accept', {
        jobConfig: {
          connectors: {
            inputEndpoint: 'edge',
            inputExchange: input.exchange,
            inputQueue: input.queue,
            inputRoutingKey: input.routingKey,
          },
        },
      }),
      {
        name: 'classify',
        from: ['accept'],
        headers: { runtime: 'edge', targetResource: AGENTS.first, jobType: 'business-rules' },
        jobConfig: { connectors: {} },
        jobProps: {
          rules: [
            {
              name: 'hot',
              priority: 10,
              when: {
                all: [
                  { path: '$.temperature', op: '>', value: 30 },
                  { path: '$.humidity', op: '<', value: 60 },
                ],
              },
              then: [{ set: '$.severity', value: 'high' }, { tag: 'hot' }],
            },
            {
              name: 'humid',
              when: {
                all: [
                  { path: '$.humidity', op: '>', value: 65 },
                  { path: '$.status', op: '=', value: 'nominal-operating-range-ok' },
                ],
              },
              then: [{ tag: 'humid' }],
            },
            {
              name: 'cold',
              when: { any: [{ path: '$.temperature', op: '<', value: 17 }] },
              then: [{ tag: 'cold' }],
            },
          ],
          onNoMatch: 'forward',
        },
      },
      passAll('emit', {
        from: ['classify'],
        jobConfig: {
          connectors: {
            outputEndpoint: 'edge',
            outputExchange: output.exchange,
            outputRoutingKey: output.routingKey,
          },
        },
      }),
    ],
  };
}

interface Route {
  exchange: string;
  queue: string;
  routingKey: string;
}

async function post(system: ApiCaller, path: string, body: unknown = {}): Promise<unknown> {
  const response = await system.api('POST', path, body);
  if (response.status !== 200) {
    throw new Error(`POST ${path} -> ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

export async function edgePipeline(ctx: BenchContext): Promise<void> {
  const events = positiveIntEnv('BENCH_PIPELINE_EVENTS', 20_000);
  const reps = positiveIntEnv('BENCH_THROUGHPUT_REPS', 3);
  const durationMs = positiveIntEnv('BENCH_LATENCY_MS', 10_000);
  const RATE = positiveIntEnv('BENCH_PIPELINE_RATE', 2000);
  const { system } = await ctx.edge();
  const amqp = await ctx.amqp();

  const id = `bench-pipe-${randomUUID().slice(0, 8)}`;
  const input = { exchange: `${id}.in`, queue: `${id}.accept.in`, routingKey: 'sensors' };
  const output = { exchange: `${id}.out`, queue: `${id}.collector`, routingKey: 'alerts' };
  amqp.track({ exchanges: [input.exchange] });
  await post(system, '/api/pipelines', pipelineObject(id, input, output));

  const warmupEvents = (RATE * WARMUP_MS) / 1000;
  const latencies: number[] = [];
  let timing = false;
  const out = await amqp.record(output.exchange, output.routingKey, output.queue, (body, at) => {
    if (!timing) return;
    const event = JSON.parse(body.toString()) as { seq: number; sentAt: number };
    if (event.seq >= warmupEvents) latencies.push(at - event.sentAt);
  });
  // The peer: in -> relay -> hop1 -> relay -> hop2 -> relay -> out, on the same broker.
  const relayId = `${id}-relay`;
  const hops = [0, 1, 2, 3].map((i) => ({
    exchange: `${relayId}.x${i}`,
    queue: `${relayId}.q${i}`,
  }));
  for (const hop of hops.slice(0, 3)) await amqp.declareRoute(hop.exchange, hop.queue, 'sensors');
  const relayOut = await amqp.record(hops[3].exchange, 'sensors', hops[3].queue);
  const rates: number[] = [];
  const relayRates: number[] = [];
  try {
    const route = {
      inputExchange: input.exchange,
      inputQueue: input.queue,
      inputRoutingKey: 'sensors',
    };
    const relayRoute = {
      inputExchange: hops[0].exchange,
      inputQueue: hops[0].queue,
      inputRoutingKey: 'sensors',
    };
    for (let rep = 0; rep < reps; rep++) {
      rates.push(
        await timePreloaded(amqp, route, out.recorder, events, async () => {
          await post(system, `/api/pipelines/${id}/start`);
          return () => post(system, `/api/pipelines/${id}/stop`);
        }),
      );
      relayRates.push(
        await timePreloaded(amqp, relayRoute, relayOut.recorder, events, async () => {
          const relays = await Promise.all(
            [0, 1, 2].map((i) =>
              startBareRelay(ctx.amqpUrl, hops[i].queue, hops[i + 1].exchange, 'sensors'),
            ),
          );
          return () => Promise.all(relays.map((r) => r.stop()));
        }),
      );
      process.stderr.write(
        `  rep ${rep + 1}: pipeline ${Math.round(rates[rep])} events/s, ` +
          `relay chain ${Math.round(relayRates[rep])} events/s\n`,
      );
    }

    await post(system, `/api/pipelines/${id}/start`);
    timing = true;
    const from = out.recorder.count;
    const sent = await pace({ perSecond: RATE, durationMs }, (seq) =>
      amqp.publish(
        input.exchange,
        input.routingKey,
        Buffer.from(JSON.stringify(benchEvent(seq, 1000, Date.now()))),
      ),
    ).done;
    await amqp.waitForConfirms();
    await out.recorder.waitFor(from + sent, 120_000);
  } finally {
    await out.stop();
    await relayOut.stop();
    await post(system, `/api/pipelines/${id}/uninstall`).catch((error: unknown) => {
      process.stderr.write(`cleanup: pipeline ${id}: ${String(error)}\n`);
    });
  }

  report({
    bench: BENCH,
    metric: 'three edge stages end to end',
    value: Math.round(median(rates)),
    unit: 'events/s',
    note: `${events} preloaded events, filter -> business-rules (3 rules) -> filter on one agent, median of ${reps}`,
  });
  report({
    bench: BENCH,
    metric: 'three bare amqplib relays chained',
    value: Math.round(median(relayRates)),
    unit: 'events/s',
    note: `same ${events} events and hops, no rules, median of ${reps}`,
  });
  report({
    bench: BENCH,
    metric: 'pipeline / relay chain',
    value: Number((median(rates) / median(relayRates)).toFixed(2)),
    unit: 'ratio',
  });
  const sorted = latencies.sort((a, b) => a - b);
  const note = `${RATE} events/s for ${durationMs} ms, ${sorted.length} events after ${WARMUP_MS} ms warm-up`;
  report({
    bench: BENCH,
    metric: `p50 at ${RATE}/s`,
    value: percentile(sorted, 50),
    unit: 'ms',
    note,
  });
  report({
    bench: BENCH,
    metric: `p99 at ${RATE}/s`,
    value: percentile(sorted, 99),
    unit: 'ms',
    target: '<= 30 (at 2000/s)',
  });
  report({
    bench: BENCH,
    metric: `max at ${RATE}/s`,
    value: round(sorted[sorted.length - 1] ?? Number.NaN),
    unit: 'ms',
  });
}
