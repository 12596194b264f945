/**
 * Throughput of one consumer of a preloaded queue, seen downstream: from the first output's
 * arrival to the N-th (the start-up of the consumer is not timed).
 */
import type { ArrivalRecorder, BenchAmqp } from './bench-amqp';
import { eventBytes } from '../payload';

export interface PreloadedRoute {
  inputExchange: string;
  inputRoutingKey: string;
  inputQueue: string;
}

/** Events per second between arrivals `from` (first of the run) and `from + count - 1`. */
export function arrivalRate(arrivals: readonly number[], from: number, count: number): number {
  const first = arrivals[from];
  const last = arrivals[from + count - 1];
  if (count < 2 || first === undefined || last === undefined || last <= first) return Number.NaN;
  return ((count - 1) * 1000) / (last - first);
}

/**
 * Preloads `events` into the route's queue, runs `consume` (which starts the consumer and
 * returns how to stop it), waits for every output and returns events/s.
 */
export async function timePreloaded(
  amqp: BenchAmqp,
  route: PreloadedRoute,
  recorder: ArrivalRecorder,
  events: number,
  consume: () => Promise<() => Promise<unknown>>,
  timeoutMs = 300_000,
): Promise<number> {
  await amqp.preload(route.inputExchange, route.inputRoutingKey, events, (seq) => eventBytes(seq));
  const queued = await amqp.messageCount(route.inputQueue);
  if (queued !== events) throw new Error(`${route.inputQueue} holds ${queued}, expected ${events}`);
  const from = recorder.count;
  const stop = await consume();
  try {
    await recorder.waitFor(from + events, timeoutMs);
  } finally {
    await stop();
  }
  return arrivalRate(recorder.arrivals, from, events);
}
