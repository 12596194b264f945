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

/** Line i: key slot floor(i / eventsPerKeySlot) mod keys, ts = BASE_TS + floor(i / eventsPerMs). */
export function generateLines(shape: InputShape): string[] {
  const lines = new Array<string>(shape.events);
  for (let seq = 0; seq < shape.events; seq++) {
    const keyIndex = Math.floor(seq / shape.eventsPerKeySlot) % shape.keys;
    const ts = BASE_TS + Math.floor(seq / shape.eventsPerMs);
    lines[seq] = JSON.stringify(sensorReading(seq, keyIndex, ts));
  }
  return lines;
}
