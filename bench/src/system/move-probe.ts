/**
 * Times one move of a running rule while events flow: the pause seen downstream (largest gap
 * between output arrivals around the move) and how long the move call took.
 */
import { performance } from 'node:perf_hooks';
import type { JobInfo } from '@ruleshift/contracts';
import { benchEvent } from '../payload';
import type { ArrivalRecorder, BenchAmqp } from './bench-amqp';
import { largestGap } from './move-pause';
import { pace, sleep, type PacedRun } from './pacer';
import type { BenchConnectors } from './rules-client';

export interface MoveFigures {
  pauseMs: number;
  callMs: number;
  job: JobInfo;
}

/**
 * Runs `move`, then waits until outputs flow again (an arrival in the last `flowingMs`, at
 * least `settleMs` after the answer) before measuring the largest gap since the request.
 */
export async function measureMove(
  recorder: ArrivalRecorder,
  move: () => Promise<JobInfo>,
  options: { settleMs?: number; flowingMs?: number; resumeTimeoutMs?: number } = {},
): Promise<MoveFigures> {
  const settleMs = options.settleMs ?? 1000;
  const flowingMs = options.flowingMs ?? 200;
  const from = performance.now();
  const job = await move();
  const answered = performance.now();
  const deadline = answered + (options.resumeTimeoutMs ?? 60_000);
  for (;;) {
    const now = performance.now();
    const last = recorder.arrivals[recorder.arrivals.length - 1] ?? -Infinity;
    if (now >= answered + settleMs && last >= now - flowingMs) break;
    if (now > deadline) throw new Error('outputs did not resume after the move');
    await sleep(20);
  }
  return {
    pauseMs: largestGap(recorder.arrivals, { from, to: performance.now() }),
    callMs: answered - from,
    job,
  };
}

/** A steady flow of bench events into a rule's input exchange. */
export function steadyFlow(
  amqp: BenchAmqp,
  connectors: BenchConnectors,
  perSecond: number,
): PacedRun {
  return pace({ perSecond }, (seq) =>
    amqp.publish(
      connectors.inputExchange,
      connectors.inputRoutingKey,
      Buffer.from(JSON.stringify(benchEvent(seq, 1000, Date.now()))),
    ),
  );
}
