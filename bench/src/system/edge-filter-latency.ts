/**
 * 2. Latency of the edge filter rule through RabbitMQ at a steady 5,000 events/s (5 events
 * per 1 ms tick) for ~10 s: output arrival - `sentAt` (Date.now() at publish) on a consumer.
 * The first second is warm-up and not counted.
 */
import { benchEvent } from '../payload';
import { percentile, report, round } from '../stats';
import { AGENTS, type BenchContext } from './bench-context';
import { pace } from './pacer';
import { benchConnectors, passAllFilter, ruleTopology } from './rules-client';
import { positiveIntEnv } from './settings';

const BENCH = 'edge-filter-latency';
const RATE = 5000;
const WARMUP_MS = 1000;

export async function edgeFilterLatency(ctx: BenchContext): Promise<void> {
  const durationMs = positiveIntEnv('BENCH_LATENCY_MS', 10_000);
  const { rules } = await ctx.edge();
  const amqp = await ctx.amqp();
  const connectors = benchConnectors('latency');
  const installed = await rules.install(passAllFilter('edge', AGENTS.first, connectors));
  amqp.track(ruleTopology(installed, connectors));
  const running = await rules.start(installed);

  const warmupEvents = (RATE * WARMUP_MS) / 1000;
  const latencies: number[] = [];
  const out = await amqp.record(
    connectors.outputExchange,
    connectors.outputRoutingKey,
    `${connectors.outputExchange}.collector`,
    (body, arrivedAt) => {
      const event = JSON.parse(body.toString()) as { seq: number; sentAt: number };
      if (event.seq >= warmupEvents) latencies.push(arrivedAt - event.sentAt);
    },
  );
  try {
    const sent = await pace({ perSecond: RATE, durationMs }, (seq) =>
      amqp.publish(
        connectors.inputExchange,
        connectors.inputRoutingKey,
        Buffer.from(JSON.stringify(benchEvent(seq, 1000, Date.now()))),
      ),
    ).done;
    await amqp.waitForConfirms();
    await out.recorder.waitFor(sent, 60_000);
  } finally {
    await out.stop();
    await rules.uninstall(running).catch(() => undefined);
  }

  const sorted = latencies.sort((a, b) => a - b);
  const note = `${sorted.length} events after ${WARMUP_MS} ms warm-up`;
  report({ bench: BENCH, metric: 'p50', value: percentile(sorted, 50), unit: 'ms', note });
  report({
    bench: BENCH,
    metric: 'p99',
    value: percentile(sorted, 99),
    unit: 'ms',
    target: '<= 20',
  });
  report({
    bench: BENCH,
    metric: 'max',
    value: round(sorted[sorted.length - 1] ?? Number.NaN),
    unit: 'ms',
  });
}
