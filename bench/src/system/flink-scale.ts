/**
 * A keyed window-aggregation rule on Flink at parallelism 1, 2 and 4 (issue 12), on the
 * cluster's TaskManagers (two in the setup): each rule's input is preloaded with N
 * events of 1,000 devices (partitioned by header `deviceId` for parallelism > 1), the rule is
 * started, and events/s is N over the time from the start's answer (every subtask RUNNING) to
 * the last window's arrival. Beside it, RabbitMQ's own delivery ceiling for N events over four
 * partition queues, in the same run, and where the CPU went: each busy thread of the local
 * TaskManagers (a subtask runs in a thread of its own) and each TaskManager in all, from /proc.
 */
import { performance } from 'node:perf_hooks';
import type { JobInfo } from '@ruleshift/contracts';
import { eventBytes } from '../payload';
import { report, round } from '../stats';
import type { BenchContext, RunningSystem } from './bench-context';
import { flinkRestUrl } from './flink-rest';
import { benchConnectors, ruleTopology } from './rules-client';
import { positiveIntEnv } from './settings';
import { busiestThreads, localTaskManagerPids, threadTicks } from './taskmanager-threads';

const BENCH = 'flink-scale';
const PARALLELISMS = [1, 2, 4];
const DEVICES = 1000;
/** Count windows of 10 events per device: N events give N / 10 outputs. */
const WINDOW_EVENTS = 10;

const deviceOf = (seq: number): string => `device-${String(seq % DEVICES).padStart(5, '0')}`;

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${flinkRestUrl}${path}`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

function windowRule(
  cluster: string,
  parallelism: number,
  connectors: ReturnType<typeof benchConnectors>,
): Record<string, unknown> {
  const partitioned = parallelism > 1;
  return {
    headers: { runtime: 'flink', targetResource: cluster, jobType: 'window-aggregation' },
    jobConfig: {
      connectors: partitioned
        ? { ...connectors, partitionKey: { source: 'header', name: 'deviceId' } }
        : connectors,
      ...(partitioned ? { parallelism } : {}),
    },
    jobProps: {
      aggregate: 'avg',
      fieldJsonPath: '$.temperature',
      window: { kind: 'count', time: 'processing', size: WINDOW_EVENTS },
      groupByJsonPath: '$.deviceId',
    },
  };
}

async function runAt(
  ctx: BenchContext,
  running: RunningSystem,
  cluster: string,
  parallelism: number,
  events: number,
  pids: number[],
): Promise<number> {
  const amqp = await ctx.amqp();
  const connectors = benchConnectors(`flink-scale-p${parallelism}`);
  let job: JobInfo = await running.rules.install(windowRule(cluster, parallelism, connectors));
  amqp.track(ruleTopology(job, connectors));
  const out = await amqp.record(
    connectors.outputExchange,
    connectors.outputRoutingKey,
    `${connectors.outputExchange}.collector`,
  );
  try {
    await amqp.preload(
      connectors.inputExchange,
      connectors.inputRoutingKey,
      events,
      eventBytes,
      1000,
      (seq) => ({
        deviceId: deviceOf(seq),
      }),
    );
    job = await running.rules.start(job);
    const started = performance.now();
    const before = threadTicks(pids);
    const windows = events / WINDOW_EVENTS;
    await out.recorder.waitFor(windows, 600_000);
    const after = threadTicks(pids);
    const elapsed = out.recorder.arrivals[windows - 1] - started;
    const rate = (events / elapsed) * 1000;
    report({
      bench: BENCH,
      metric: `parallelism ${parallelism}`,
      value: Math.round(rate),
      unit: 'events/s',
      note: `${events} preloaded events, ${DEVICES} keys, count windows of ${WINDOW_EVENTS}`,
    });
    const threads = busiestThreads(before, after, (performance.now() - started) / 1000);
    const byTaskManager = new Map<string, number>();
    for (const thread of threads) {
      const tm = thread.label.split(' ')[0];
      byTaskManager.set(tm, (byTaskManager.get(tm) ?? 0) + thread.cores);
    }
    report({
      bench: BENCH,
      metric: `parallelism ${parallelism}: TaskManager CPU`,
      value: round(
        threads.reduce((sum, t) => sum + t.cores, 0),
        2,
      ),
      unit: 'cores',
      note: pids.length
        ? [...byTaskManager].map(([tm, cores]) => `${tm} ${round(cores, 2)}`).join(', ')
        : 'no local TaskManager process of this cluster found in /proc',
    });
    for (const thread of threads.slice(0, 12)) {
      report({
        bench: BENCH,
        metric: `parallelism ${parallelism}: thread ${thread.label}`,
        value: round(thread.cores, 2),
        unit: 'cores',
      });
    }
    return rate;
  } finally {
    await out.stop();
    await running.rules.uninstall(job).catch(() => undefined);
  }
}

/** The scale part of the flink benchmark (BENCH_FLINK_SCALE_EVENTS, default 50,000). */
export async function flinkScale(
  ctx: BenchContext,
  running: RunningSystem,
  cluster: string,
): Promise<void> {
  const events = positiveIntEnv('BENCH_FLINK_SCALE_EVENTS', 50_000);
  if (events % (DEVICES * WINDOW_EVENTS) !== 0) {
    throw new Error(`BENCH_FLINK_SCALE_EVENTS must be a multiple of ${DEVICES * WINDOW_EVENTS}`);
  }
  const { taskmanagers } = await getJson<{ taskmanagers: number }>('/overview');
  const pids = localTaskManagerPids(Number(new URL(flinkRestUrl).port || 80));
  process.stderr.write(`  ${taskmanagers} TaskManager(s), local pids ${pids.join(', ')}\n`);
  const rates = new Map<number, number>();
  for (const parallelism of PARALLELISMS) {
    rates.set(parallelism, await runAt(ctx, running, cluster, parallelism, events, pids));
  }
  for (const parallelism of PARALLELISMS.slice(1)) {
    report({
      bench: BENCH,
      metric: `parallelism ${parallelism} / parallelism 1`,
      value: round(rates.get(parallelism)! / rates.get(1)!, 2),
      unit: 'ratio',
      target: parallelism === 2 ? '>= 1.3' : undefined,
      note: `${taskmanagers} TaskManager(s)`,
    });
  }
  const amqp = await ctx.amqp();
  const ceiling = await amqp.drainCeiling(
    `bench-flink-scale-ceiling-${process.pid}`,
    4,
    events,
    eventBytes,
    deviceOf,
  );
  report({
    bench: BENCH,
    metric: 'RabbitMQ ceiling: drain over 4 partition queues',
    value: Math.round(ceiling),
    unit: 'events/s',
    note: `${events} preloaded events, one amqplib consumer process`,
  });
}
