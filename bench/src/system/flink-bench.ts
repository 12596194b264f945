/**
 * 6. The Flink runtime through the REST API, only when a Flink cluster answers (FLINK_REST_URL
 * or http://127.0.0.1:8081): (a) install+start -> every subtask RUNNING on a warm cluster, by phase,
 * (b) the move pause edge -> Flink and Flink -> edge with ~2,000 events/s flowing, (c) a keyed
 * window rule at parallelism 1, 2, 4 beside RabbitMQ's ceiling (flink-scale.ts; the filter's
 * throughput on Flink vs. an agent is `flink-filter-throughput`). The system runs with the
 * adapter's Flink runtime on (FLINK_REST_URL passed to it); each part reports its own error.
 */
import type { JobInfo, RuntimeInfo } from '@ruleshift/contracts';
import { cancelFlinkJobsOf } from '../../../test/integration/support/flink';
import { percentile, report, round } from '../stats';
import type { BenchContext, RunningSystem } from './bench-context';
import { flinkAnswers, flinkRestUrl } from './flink-rest';
import { flinkScale } from './flink-scale';
import { flinkSubmission } from './flink-submission';
import { measureMove, steadyFlow } from './move-probe';
import { sleep } from './pacer';
import { benchConnectors, passAllFilter, ruleTopology } from './rules-client';
import { positiveIntEnv } from './settings';

const BENCH = 'flink';
const AGENT = 'gw1';
const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);

export async function flinkResource(running: RunningSystem): Promise<string> {
  const { body } = await running.system.api<RuntimeInfo[]>('GET', '/api/runtimes');
  const flink = body.find((r) => r.runtime === 'flink');
  if (!flink) throw new Error('the adapter lists no flink runtime (FLINK_REST_URL not taken?)');
  return flink.targetResource;
}

async function movePauses(
  ctx: BenchContext,
  running: RunningSystem,
  cluster: string,
): Promise<void> {
  const moves = positiveIntEnv('BENCH_FLINK_MOVES', 3);
  const amqp = await ctx.amqp();
  const connectors = benchConnectors('flink-move');
  const installed = await running.rules.install(passAllFilter('edge', AGENT, connectors));
  amqp.track(ruleTopology(installed, connectors));
  let job: JobInfo = await running.rules.start(installed);
  const out = await amqp.record(
    connectors.outputExchange,
    connectors.outputRoutingKey,
    `${connectors.outputExchange}.collector`,
  );
  const flow = steadyFlow(amqp, connectors, 2000);
  const toFlink: number[] = [];
  const toEdge: number[] = [];
  try {
    await sleep(2000);
    for (let i = 0; i < moves * 2; i++) {
      const onEdge = i % 2 === 0;
      const current = job;
      const moved = await measureMove(
        out.recorder,
        () => running.rules.move(current, onEdge ? 'flink' : 'edge', onEdge ? cluster : AGENT),
        { settleMs: 2000, resumeTimeoutMs: 120_000 },
      );
      job = moved.job;
      (onEdge ? toFlink : toEdge).push(moved.pauseMs);
      process.stderr.write(
        `  move -> ${onEdge ? 'flink' : 'edge'}: pause ${round(moved.pauseMs)} ms, call ${round(moved.callMs)} ms\n`,
      );
      await sleep(1000);
    }
  } finally {
    flow.stop();
    await flow.done;
    await amqp.waitForConfirms();
    await out.stop();
    await running.rules.uninstall(job).catch(() => undefined);
  }
  report({
    bench: BENCH,
    metric: 'move pause edge -> Flink p50',
    value: round(percentile(sorted(toFlink), 50)),
    unit: 'ms',
    target: '<= 5000',
    note: `${moves} moves at 2000 events/s`,
  });
  report({
    bench: BENCH,
    metric: 'move pause Flink -> edge p50',
    value: round(percentile(sorted(toEdge), 50)),
    unit: 'ms',
    target: '<= 2000',
    note: `${moves} moves at 2000 events/s`,
  });
}

type Part = [string, (cluster: string) => Promise<void>];

/** BENCH_FLINK_PARTS (comma-separated part names) runs only those parts; unset runs all. */
function selectedParts(parts: Part[]): Part[] {
  const wanted = process.env.BENCH_FLINK_PARTS?.split(',').map((p) => p.trim());
  if (!wanted?.length || (wanted.length === 1 && wanted[0] === '')) return parts;
  const unknown = wanted.filter((name) => !parts.some(([known]) => known === name));
  if (unknown.length) {
    throw new Error(
      `BENCH_FLINK_PARTS: unknown part ${unknown.join(', ')} (parts: ${parts.map(([n]) => n).join(', ')})`,
    );
  }
  return parts.filter(([name]) => wanted.includes(name));
}

export async function flinkBench(ctx: BenchContext): Promise<void> {
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
  const running = await ctx.startSystem([AGENT], {
    FLINK_REST_URL: flinkRestUrl,
    FLINK_MONITOR_INTERVAL_MS: '1000',
  });
  const parts = selectedParts([
    ['install+start', (cluster) => flinkSubmission(ctx, running, cluster)],
    ['move-pause', (cluster) => movePauses(ctx, running, cluster)],
    ['scale', (cluster) => flinkScale(ctx, running, cluster)],
  ]);
  try {
    const cluster = await flinkResource(running);
    for (const [name, part] of parts) {
      try {
        await part(cluster);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`flink ${name} failed: ${message}\n`);
        report({
          bench: BENCH,
          metric: `${name}: error`,
          value: Number.NaN,
          unit: '',
          note: message.split('\n')[0].slice(0, 160),
        });
      }
    }
  } finally {
    await cancelFlinkJobsOf(running.rules.installed.keys());
    await ctx.stopSystem(running);
  }
}
