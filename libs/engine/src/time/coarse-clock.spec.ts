import { CoarseClock } from './coarse-clock';

describe('CoarseClock', () => {
  it('reads the clock once for a synchronous burst of up to maxReuse calls', () => {
    let now = 1000;
    const read = jest.fn(() => now++);
    const clock = new CoarseClock(read, 3);
    expect([clock.now(), clock.now(), clock.now()]).toEqual([1000, 1000, 1000]);
    expect(clock.now()).toBe(1001);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('reads the clock again after a microtask boundary', async () => {
    let now = 0;
    const clock = new CoarseClock(() => (now += 10), 1000);
    expect(clock.now()).toBe(10);
    expect(clock.now()).toBe(10);
    await Promise.resolve();
    expect(clock.now()).toBe(20);
  });
});
