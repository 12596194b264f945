/**
 * The same pass-all filter rule through RabbitMQ on Flink and on edge agent gw1, side by side
 * in one run (issue 12: Flink at least as fast as an agent on the same machine). Each gets its
 * own queue preloaded with N events, then the rule starts and the downstream arrival rate is
 * timed (first output to N-th, as edge-filter-throughput). Alternating reps, medians. Only when
 * a Flink cluster answers (FLINK_REST_URL).
 */
import { median, report, round } from '../stats';
import type { BenchContext } from './bench-context';
import { flinkResource } from './flink-bench';
import { flinkAnswers, flinkRestUrl } from './flink-rest';
import { cancelFlinkJobsOf } from '../../../test/integration/support/flink';
import type { JobInfo } from '@ruleshift/contracts';
import type { BenchAmqp } from './bench-amqp';
import { type BenchConnectors, benchConnectors, passAllFilter, ruleTopology } from './rules-client';
import { positiveIntEnv } from './settings';
import { timePreloaded } from './throughput';

const BENCH = 'flink-filter-throughput';
const AGENT = 'gw1';
const RUNTIMES = ['flink', 'edge'] as const;
type Runtime = (typeof RUNTIMES)[number];

interface PreloadedRule {
  connectors: BenchConnectors;
  job: JobInfo;
  out: Awaited<ReturnType<BenchAmqp['record']>>;
}

export async function flinkFilterThroughput(ctx: BenchContext): Promise<void> {
  if (!(await flinkAnswers())) {
    report({
      bench: BENCH,
      metric: 'all',
      value: Number.NaN,
      unit: '',
      note: `skipped: no Flink cluster at ${flinkRestUrl}`,
    });
    return;
  }
  const events = positiveIntEnv('BENCH_FLINK_EVENTS', 50_000);
  const reps = positiveIntEnv('BENCH_FLINK_THROUGHPUT_REPS', 3);
  const running = await ctx.startSystem([AGENT], { FLINK_REST_URL: flinkRestUrl });
  const rates: Record<Runtime, number[]> = { flink: [], edge: [] };
  try {
    const amqp = await ctx.amqp();
    const placements = { flink: await flinkResource(running), edge: AGENT };
    const rules = {} as Record<Runtime, PreloadedRule>;
    for (const runtime of RUNTIMES) {
      const connectors = benchConnectors(`flink-tput-${runtime}`);
      const job = await running.rules.install(
        passAllFilter(runtime, placements[runtime], connectors),
      );
      amqp.track(ruleTopology(job, connectors));
      const out = await amqp.record(
        connectors.outputExchange,
        connectors.outputRoutingKey,
        `${connectors.outputExchange}.collector`,
      );
      rules[runtime] = { connectors, job, out };
    }
    try {
      // Alternating, so both runtimes see the same load of the machine.
      for (let rep = 0; rep < reps; rep++) {
        for (const runtime of RUNTIMES) {
          const rule = rules[runtime];
          const rate = await timePreloaded(
            amqp,
            rule.connectors,
            rule.out.recorder,
            events,
            async () => {
              rule.job = await running.rules.start(rule.job);
              return async () => (rule.job = await running.rules.stop(rule.job));
            },
          );
          rates[runtime].push(rate);
          process.stderr.write(`  ${runtime} rep ${rep + 1}: ${Math.round(rate)}/s\n`);
        }
      }
    } finally {
      for (const rule of Object.values(rules)) {
        await rule.out.stop();
        await running.rules.uninstall(rule.job).catch(() => undefined);
      }
    }
  } finally {
    await cancelFlinkJobsOf(running.rules.installed.keys());
    await ctx.stopSystem(running);
  }
  const flink = median(rates.flink);
  const edge = median(rates.edge);
  const note = `${events} preloaded events, median of ${reps}`;
  report({
    bench: BENCH,
    metric: 'filter on Flink',
    value: Math.round(flink),
    unit: 'events/s',
    note,
  });
  report({
    bench: BENCH,
    metric: 'filter on edge agent',
    value: Math.round(edge),
    unit: 'events/s',
    note,
  });
  report({
    bench: BENCH,
    metric: 'Flink / edge',
    value: round(flink / edge, 2),
    unit: 'ratio',
    target: '>= 1.0',
  });
}
