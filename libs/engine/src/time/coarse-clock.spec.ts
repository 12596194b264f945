import { coarseClock } from './coarse-clock';

describe('coarseClock', () => {
  it('reads the clock once for a synchronous burst of up to maxReuse calls', () => {
    let now = 1000;
    const read = jest.fn(() => now++);
    const clock = coarseClock(read, 3);
    expect([clock(), clock(), clock()]).toEqual([1000, 1000, 1000]);
    expect(clock()).toBe(1001);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('reads the clock again after a microtask boundary', async () => {
    let now = 0;
    const clock = coarseClock(() => (now += 10), 1000);
    expect(clock()).toBe(10);
    expect(clock()).toBe(10);
    await Promise.resolve();
    expect(clock()).toBe(20);
  });
});
