import { BASE_TS, generateLines, type SensorReading } from './sensor-input';

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
});
