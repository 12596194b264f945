/**
 * The chaos suite's input stream and what each rule must make of it. Every event has a unique
 * id (also its AMQP message id) and an event time 20 ms after the previous one, so a 1 s
 * tumbling window holds 50 events spread over four devices; every other event is above the
 * filter's threshold.
 */
export interface ChaosEvent {
  id: string;
  seq: number;
  device: string;
  ts: number;
  temperature: number;
}

export const EVENT_SPACING_MS = 20;
export const WINDOW_SIZE_MS = 1000;
const DEVICES = 4;
const THRESHOLD = 20;

export function chaosEvent(tag: string, seq: number, t0: number): ChaosEvent {
  return {
    id: `${tag}-${seq}`,
    seq,
    device: `d${seq % DEVICES}`,
    ts: t0 + seq * EVENT_SPACING_MS,
    temperature: seq % 2 === 0 ? THRESHOLD + 5 + (seq % 7) : THRESHOLD - 10 + (seq % 7),
  };
}

/** An event far past the last one: it closes every window of the stream, and passes no filter. */
export function trailerEvent(tag: string, after: ChaosEvent[], t0: number): ChaosEvent {
  const last = after.length ? after[after.length - 1].ts : t0;
  return {
    id: `${tag}-trailer`,
    seq: -1,
    device: 'trailer',
    ts: last + 10 * WINDOW_SIZE_MS,
    temperature: 0,
  };
}

/** The filter's expected outputs: the ids of the events above the threshold. */
export function filterExpectation(events: ChaosEvent[]): Map<string, number> {
  return new Map(events.filter((e) => e.temperature > THRESHOLD).map((e) => [e.id, 1]));
}

export const windowKey = (device: string, windowStart: number): string =>
  `${device}@${windowStart}`;

/** The window count's expected outputs: events per device and 1 s window. */
export function windowCountExpectation(events: ChaosEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) {
    const key = windowKey(e.device, Math.floor(e.ts / WINDOW_SIZE_MS) * WINDOW_SIZE_MS);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export const THRESHOLD_VALUE = THRESHOLD;
