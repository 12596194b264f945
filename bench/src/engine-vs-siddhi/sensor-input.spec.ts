import { REPETITION_SPAN_MS, BASE_TS, generateLines, type SensorReading } from './sensor-input';

describe('generateLines', () => {
  const shape = { events: 4000, keys: 1000, eventsPerMs: 10, eventsPerKeySlot: 1 };

  it('is deterministic', () => {
    expect(generateLines(shape)).toEqual(generateLines(shape));
  });

  it('writes ~200-byte JSON sensor readings in event-time order', () => {
    const readings = generateLines(shape).map((line) => JSON.parse(line) as SensorReading);
    for (const line of generateLines(shape)) {
      expect(line.length).toBeGreaterThanOrEqual(180);
      expect(line.length).toBeLessThanOrEqual(220);
    }
    readings.forEach((reading, index) => {
      expect(reading.seq).toBe(index);
      if (index > 0) expect(reading.ts).toBeGreaterThanOrEqual(readings[index - 1].ts);
    });
    expect(readings[0].ts).toBe(BASE_TS);
    expect(readings[3999].ts).toBe(BASE_TS + 399);
  });

  it('spreads the keys evenly', () => {
    const keys = new Map<string, number>();
    for (const line of generateLines(shape)) {
      const { deviceId } = JSON.parse(line) as SensorReading;
      keys.set(deviceId, (keys.get(deviceId) ?? 0) + 1);
    }
    expect(keys.size).toBe(1000);
    expect([...keys.values()].every((count) => count === 4)).toBe(true);
  });

  it('gives each key one left and one right event per slot for joins', () => {
    const join = generateLines({ events: 4, keys: 1000, eventsPerMs: 2, eventsPerKeySlot: 2 });
    const ids = join.map((line) => (JSON.parse(line) as SensorReading).deviceId);
    expect(ids).toEqual(['device-000000', 'device-000000', 'device-000001', 'device-000001']);
  });

  it('gives every repetition fresh input of the same shape, windows still aligned', () => {
    const shape = { events: 20, keys: 5, eventsPerMs: 10, eventsPerKeySlot: 1 };
    const first = generateLines(shape, 0).map((line) => JSON.parse(line) as SensorReading);
    const third = generateLines(shape, 2).map((line) => JSON.parse(line) as SensorReading);
    expect(third.map((r) => r.deviceId)).toEqual(first.map((r) => r.deviceId));
    expect(third[0].seq).toBe(40);
    expect(third[0].ts - first[0].ts).toBe(2 * REPETITION_SPAN_MS);
    expect(REPETITION_SPAN_MS % 2000).toBe(0);
    expect(new Set([...first, ...third].map((r) => r.seq)).size).toBe(40);
  });
});
