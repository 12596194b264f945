/**
 * Flink install+start on a warm session cluster, with where the time goes. Each rule is
 * installed and started through the REST API; the clock stops when Flink's live job overview
 * lists the rule's job RUNNING with every subtask RUNNING. The phases come from Flink's own
 * timestamps (job and subtask state transitions, same machine, same clock), read after the
 * rules ran, so reading them costs the figures nothing.
 */
import { percentile, report, round } from '../stats';
import type { BenchContext, RunningSystem } from './bench-context';
import { flinkJobTimeline, type FlinkJobTimeline, waitLiveRunning } from './flink-rest';
import { benchConnectors, passAllFilter, ruleTopology } from './rules-client';
import { positiveIntEnv } from './settings';

const BENCH = 'flink';

/** Wall-clock instants (Date.now() ms) of one install+start, as the bench saw them. */
interface Submission {
  jobId: string;
  installSent: number;
  startSent: number;
  startAnswered: number;
  allRunningSeen: number;
}

/** The phases, in order; each is the time from the end of the one before to its own end. */
const PHASES: { name: string; end: (s: Submission, t: FlinkJobTimeline) => number }[] = [
  { name: 'install call (registry, queues, jar lookup)', end: (s) => s.startSent },
  {
    name: 'start -> job submitted (adapter, /jars/run: main() and job graph)',
    end: (_, t) => t.submitted,
  },
  { name: 'submitted -> job RUNNING (JobMaster, scheduler)', end: (_, t) => t.jobRunning },
  { name: '-> last subtask DEPLOYING (slots)', end: (_, t) => t.lastDeploying },
  {
    name: '-> last subtask INITIALIZING (deployment to the TaskManager)',
    end: (_, t) => t.lastInitializing,
  },
  {
    name: '-> last subtask RUNNING (restore, operators and RabbitMQ open)',
    end: (_, t) => t.lastRunning,
  },
  { name: '-> start answered (status polling, registry)', end: (s) => s.startAnswered },
];

const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);

async function installAndStart(
  ctx: BenchContext,
  running: RunningSystem,
  cluster: string,
): Promise<Submission> {
  const amqp = await ctx.amqp();
  const connectors = benchConnectors('flink-start');
  const installSent = Date.now();
  const installed = await running.rules.install(passAllFilter('flink', cluster, connectors));
  amqp.track(ruleTopology(installed, connectors));
  const startSent = Date.now();
  const job = await running.rules.start(installed);
  const startAnswered = Date.now();
  await waitLiveRunning(job.jobId);
  const allRunningSeen = Date.now();
  await running.rules.uninstall(job);
  return { jobId: job.jobId, installSent, startSent, startAnswered, allRunningSeen };
}

/** (a) install+start -> every subtask RUNNING, one rule at a time, each uninstalled after. */
export async function flinkSubmission(
  ctx: BenchContext,
  running: RunningSystem,
  cluster: string,
): Promise<void> {
  const count = positiveIntEnv('BENCH_FLINK_RULES', 10);
  // One unmeasured rule first: the cluster is warm when an operator's second rule comes.
  await installAndStart(ctx, running, cluster);
  const submissions: Submission[] = [];
  for (let i = 0; i < count; i++) {
    const submission = await installAndStart(ctx, running, cluster);
    submissions.push(submission);
    process.stderr.write(
      `  rule ${i + 1}: ${submission.allRunningSeen - submission.installSent} ms\n`,
    );
  }
  const totals = submissions.map((s) => s.allRunningSeen - s.installSent);
  const note = `${count} rules, warm cluster`;
  report({
    bench: BENCH,
    metric: 'install+start -> every subtask RUNNING p50',
    value: round(percentile(sorted(totals), 50)),
    unit: 'ms',
    target: '<= 1500',
    note,
  });
  report({
    bench: BENCH,
    metric: 'install+start -> every subtask RUNNING max',
    value: round(Math.max(...totals)),
    unit: 'ms',
  });
  const timelines = await Promise.all(submissions.map((s) => flinkJobTimeline(s.jobId)));
  for (let p = 0; p < PHASES.length; p++) {
    const spans = submissions.map((s, i) => {
      const begin = p === 0 ? s.installSent : PHASES[p - 1].end(s, timelines[i]);
      return PHASES[p].end(s, timelines[i]) - begin;
    });
    report({
      bench: BENCH,
      metric: `  phase p50: ${PHASES[p].name}`,
      value: round(percentile(sorted(spans), 50)),
      unit: 'ms',
    });
  }
}
