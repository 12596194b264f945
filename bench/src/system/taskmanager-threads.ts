/**
 * CPU per thread of the Flink TaskManagers running on this machine, from /proc: Flink has no
 * per-subtask CPU metric, but every subtask runs in a thread of its own (named after its task,
 * cut to 15 characters by Linux). Only TaskManagers whose config names the REST port of the
 * cluster under test are read (scripts/flink/up.sh writes it into <configDir>/config.yaml).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ThreadTicks {
  taskManager: number;
  comm: string;
  /** utime + stime, in clock ticks. */
  ticks: number;
}

const clockTicksPerSecond = (): number =>
  Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Pids of the local TaskManagers of the cluster whose REST port is `restPort`, in pid order. */
export function localTaskManagerPids(restPort: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = readOr(`/proc/${entry}/cmdline`).split('\0');
    if (!args.some((a) => a.endsWith('TaskManagerRunner'))) continue;
    const configDir = args[args.indexOf('--configDir') + 1];
    const config = configDir ? readOr(join(configDir, 'config.yaml')) : '';
    const port = /^rest:\n(?:\s+.*\n)*?\s+port: (\d+)/m.exec(config)?.[1];
    if (Number(port) === restPort) pids.push(Number(entry));
  }
  return pids.sort((a, b) => a - b);
}

/** Every thread of the given TaskManagers, by thread id. */
export function threadTicks(pids: number[]): Map<string, ThreadTicks> {
  const threads = new Map<string, ThreadTicks>();
  pids.forEach((pid, index) => {
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      return;
    }
    for (const tid of tids) {
      const stat = readOr(`/proc/${pid}/task/${tid}/stat`);
      const close = stat.lastIndexOf(')');
      if (close < 0) continue;
      // Fields after "(comm)": state is field 3, utime 14, stime 15.
      const fields = stat.slice(close + 2).split(' ');
      threads.set(tid, {
        taskManager: index + 1,
        comm: stat.slice(stat.indexOf('(') + 1, close),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    }
  });
  return threads;
}

/**
 * The threads that used at least `minCores` between two snapshots `seconds` apart, busiest
 * first, as cores (1 = one core all the time).
 */
export function busiestThreads(
  before: Map<string, ThreadTicks>,
  after: Map<string, ThreadTicks>,
  seconds: number,
  minCores = 0.02,
): { label: string; cores: number }[] {
  const hz = clockTicksPerSecond();
  const busy: { label: string; cores: number }[] = [];
  for (const [tid, now] of after) {
    const cores = (now.ticks - (before.get(tid)?.ticks ?? 0)) / hz / seconds;
    if (cores >= minCores) busy.push({ label: `TM${now.taskManager} ${now.comm}`, cores });
  }
  return busy.sort((a, b) => b.cores - a.cores);
}
