/**
 * 5. Control plane through the REST API: install+start to RUNNING on an agent (20 rules), and
 * the pause a move gw1 <-> gw2 causes downstream with ~2,000 events/s flowing (5 moves).
 */
import { performance } from 'node:perf_hooks';
import { percentile, report, round } from '../stats';
import { AGENTS, type BenchContext } from './bench-context';
import { measureMove, steadyFlow } from './move-probe';
import { sleep } from './pacer';
import { benchConnectors, passAllFilter, ruleTopology } from './rules-client';
import { positiveIntEnv } from './settings';

const BENCH = 'control-plane';
const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);

async function installStart(ctx: BenchContext): Promise<void> {
  const count = positiveIntEnv('BENCH_CONTROL_RULES', 20);
  const { rules } = await ctx.edge();
  const amqp = await ctx.amqp();
  const millis: number[] = [];
  for (let i = 0; i < count; i++) {
    const connectors = benchConnectors('control');
    const started = performance.now();
    const installed = await rules.install(passAllFilter('edge', AGENTS.first, connectors));
    const running = await rules.start(installed);
    millis.push(performance.now() - started);
    amqp.track(ruleTopology(installed, connectors));
    if (running.jobStatus !== 'RUNNING') throw new Error(`start answered ${running.jobStatus}`);
    await rules.uninstall(running);
  }
  const note = `${count} rules`;
  report({
    bench: BENCH,
    metric: 'install+start -> RUNNING p50',
    value: round(percentile(sorted(millis), 50)),
    unit: 'ms',
    target: '<= 100',
    note,
  });
  report({
    bench: BENCH,
    metric: 'install+start -> RUNNING max',
    value: round(Math.max(...millis)),
    unit: 'ms',
  });
}

async function movePause(ctx: BenchContext): Promise<void> {
  const moves = positiveIntEnv('BENCH_MOVES', 5);
  const { rules } = await ctx.edge();
  const amqp = await ctx.amqp();
  const connectors = benchConnectors('move');
  const installed = await rules.install(passAllFilter('edge', AGENTS.first, connectors));
  amqp.track(ruleTopology(installed, connectors));
  let job = await rules.start(installed);
  const out = await amqp.record(
    connectors.outputExchange,
    connectors.outputRoutingKey,
    `${connectors.outputExchange}.collector`,
  );
  const flow = steadyFlow(amqp, connectors, 2000);
  const pauses: number[] = [];
  const calls: number[] = [];
  try {
    await sleep(2000);
    for (let i = 0; i < moves; i++) {
      const target = i % 2 === 0 ? AGENTS.second : AGENTS.first;
      const current = job;
      const moved = await measureMove(out.recorder, () => rules.move(current, 'edge', target));
      job = moved.job;
      pauses.push(moved.pauseMs);
      calls.push(moved.callMs);
      process.stderr.write(
        `  move -> ${target}: pause ${round(moved.pauseMs)} ms, call ${round(moved.callMs)} ms\n`,
      );
    }
  } finally {
    flow.stop();
    const sent = await flow.done;
    await amqp.waitForConfirms();
    await out.recorder
      .waitFor(sent, 60_000)
      .catch((error: unknown) => process.stderr.write(`  ${String(error)}\n`));
    await out.stop();
    await rules.uninstall(job).catch(() => undefined);
  }
  const note = `${moves} moves gw1<->gw2 at 2000 events/s`;
  report({
    bench: BENCH,
    metric: 'move pause p50',
    value: round(percentile(sorted(pauses), 50)),
    unit: 'ms',
    target: '<= 500',
    note,
  });
  report({ bench: BENCH, metric: 'move pause max', value: round(Math.max(...pauses)), unit: 'ms' });
  report({
    bench: BENCH,
    metric: 'move call p50',
    value: round(percentile(sorted(calls), 50)),
    unit: 'ms',
  });
}

export async function controlPlane(ctx: BenchContext): Promise<void> {
  await installStart(ctx);
  await movePause(ctx);
}
