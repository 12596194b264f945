import {
  countWindows,
  firstWindowStart,
  lastWindowStart,
  slidingWindows,
  tumblingWindows,
} from './window-assigners';

const startsOf = (windows: ReturnType<typeof slidingWindows>, time: number): number[] => {
  const starts: number[] = [];
  for (
    let s = firstWindowStart(windows, time);
    s <= lastWindowStart(windows, time);
    s += windows.slideMs
  )
    starts.push(s);
  return starts;
};

describe('window assigners', () => {
  it('puts an event in exactly one epoch-aligned tumbling window', () => {
    expect(startsOf(tumblingWindows(1000), 1999)).toEqual([1000]);
    expect(startsOf(tumblingWindows(1000), 2000)).toEqual([2000]);
    expect(startsOf(tumblingWindows(1000), -1)).toEqual([-1000]);
  });

  it('puts an event in size/slide sliding windows', () => {
    expect(startsOf(slidingWindows(1000, 500), 1100)).toEqual([500, 1000]);
    expect(startsOf(slidingWindows(1000, 300), 1000)).toEqual([300, 600, 900]);
  });

  it('puts an event between hopping windows in none', () => {
    expect(startsOf(slidingWindows(100, 1000), 1500)).toEqual([]);
    expect(startsOf(slidingWindows(100, 1000), 1050)).toEqual([1000]);
  });

  it('makes count windows tumbling when slide is absent, and rejects bad sizes', () => {
    expect(countWindows(3)).toEqual({ kind: 'count', size: 3, slide: 3 });
    expect(() => countWindows(0)).toThrow(RangeError);
    expect(() => tumblingWindows(1.5)).toThrow(RangeError);
    expect(() => slidingWindows(10, -1)).toThrow(RangeError);
  });
});
