/**
 * Deterministic benchmark inputs: ~200-byte JSON sensor readings, one per line, the same
 * strings for both engines. `ts` is the event time; every input is in event-time order so
 * neither engine sees late events.
 */
export interface SensorReading {
  deviceId: string;
  seq: number;
  ts: number;
  temperature: number;
  humidity: number;
  site: string;
  firmware: string;
  status: string;
}

/** A multiple of every window size used, so windows line up with the first event. */
export const BASE_TS = 1_700_000_000_000;

export const deviceId = (index: number): string => `device-${String(index).padStart(6, '0')}`;

export function sensorReading(seq: number, keyIndex: number, ts: number): SensorReading {
  return {
    deviceId: deviceId(keyIndex),
    seq,
    ts,
    // One decimal, 15.0 .. 34.9, spread over keys by a prime stride.
    temperature: 15 + ((seq * 7919) % 200) / 10,
    humidity: 40 + (seq % 30),
    site: 'turin-plant-2/building-c/floor-3',
    firmware: 'v4.2.17-edge-gateway-release',
    status: 'nominal-operating-range-ok',
  };
}

export interface InputShape {
  events: number;
  keys: number;
  /** Events sharing one millisecond of event time (the event rate per ms). */
  eventsPerMs: number;
  /** Consecutive events sharing one key slot (2 for a join: one left, one right). */
  eventsPerKeySlot: number;
}

/** Event-time distance between the inputs of two repetitions (a multiple of every window). */
export const REPETITION_SPAN_MS = 100_000_000;

/**
 * Line i: key slot floor(i / eventsPerKeySlot) mod keys, ts = base + floor(i / eventsPerMs).
 * Each repetition gets fresh input of the same shape: its seq numbers (and so temperatures
 * and humidities) continue where the previous repetition's stopped, and its times start
 * `REPETITION_SPAN_MS` later, so no engine sees strings or numbers it saw before.
 */
export function generateLines(shape: InputShape, repetition = 0): string[] {
  const lines = new Array<string>(shape.events);
  const firstSeq = repetition * shape.events;
  const base = BASE_TS + repetition * REPETITION_SPAN_MS;
  for (let i = 0; i < shape.events; i++) {
    const keyIndex = Math.floor(i / shape.eventsPerKeySlot) % shape.keys;
    const ts = base + Math.floor(i / shape.eventsPerMs);
    lines[i] = JSON.stringify(sensorReading(firstSeq + i, keyIndex, ts));
  }
  return lines;
}
