/**
 * 1. The edge filter rule end to end through RabbitMQ against the bare amqplib relay with the
 * same settings, in the same run: each gets its own queue preloaded with N events, then the
 * consumer starts and the downstream arrival rate is timed. Alternating reps, medians.
 */
import { randomUUID } from 'node:crypto';
import { startBareRelay } from '../amqp-relay';
import { median, report, round } from '../stats';
import { AGENTS, type BenchContext } from './bench-context';
import { benchConnectors, passAllFilter, ruleTopology } from './rules-client';
import { positiveIntEnv } from './settings';
import { timePreloaded } from './throughput';

const BENCH = 'edge-filter-throughput';

export async function edgeFilterThroughput(ctx: BenchContext): Promise<void> {
  const events = positiveIntEnv('BENCH_THROUGHPUT_EVENTS', 50_000);
  const reps = positiveIntEnv('BENCH_THROUGHPUT_REPS', 3);
  const { rules } = await ctx.edge();
  const amqp = await ctx.amqp();

  const connectors = benchConnectors('throughput');
  let job = await rules.install(passAllFilter('edge', AGENTS.first, connectors));
  amqp.track(ruleTopology(job, connectors));
  const ruleOut = await amqp.record(
    connectors.outputExchange,
    connectors.outputRoutingKey,
    `${connectors.outputExchange}.collector`,
  );

  const relayId = `bench-relay-${randomUUID().slice(0, 8)}`;
  const relayRoute = {
    inputExchange: `${relayId}.in`,
    inputQueue: `${relayId}.input`,
    inputRoutingKey: 'sensors',
  };
  await amqp.declareRoute(relayRoute.inputExchange, relayRoute.inputQueue, 'sensors');
  const relayOut = await amqp.record(`${relayId}.out`, 'alerts', `${relayId}.collector`);

  const ruleRates: number[] = [];
  const relayRates: number[] = [];
  try {
    for (let rep = 0; rep < reps; rep++) {
      ruleRates.push(
        await timePreloaded(amqp, connectors, ruleOut.recorder, events, async () => {
          job = await rules.start(job);
          return async () => (job = await rules.stop(job));
        }),
      );
      relayRates.push(
        await timePreloaded(amqp, relayRoute, relayOut.recorder, events, async () => {
          const relay = await startBareRelay(
            ctx.amqpUrl,
            relayRoute.inputQueue,
            `${relayId}.out`,
            'alerts',
          );
          return () => relay.stop();
        }),
      );
      process.stderr.write(
        `  rep ${rep + 1}: rule ${Math.round(ruleRates[rep])}/s, relay ${Math.round(relayRates[rep])}/s\n`,
      );
    }
  } finally {
    await ruleOut.stop();
    await relayOut.stop();
    await rules.uninstall(job).catch(() => undefined);
  }

  const rule = median(ruleRates);
  const relay = median(relayRates);
  const note = `${events} events, median of ${reps}`;
  report({
    bench: BENCH,
    metric: 'edge filter rule',
    value: Math.round(rule),
    unit: 'events/s',
    note,
  });
  report({
    bench: BENCH,
    metric: 'bare amqplib relay',
    value: Math.round(relay),
    unit: 'events/s',
    note,
  });
  report({
    bench: BENCH,
    metric: 'rule / relay',
    value: round(rule / relay, 2),
    unit: 'ratio',
    target: '>= 0.8',
  });
}
