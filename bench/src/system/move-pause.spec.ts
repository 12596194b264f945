import { largestGap } from './move-pause';

describe('largestGap', () => {
  it('is the largest gap ending inside the window, counting from the arrival before it', () => {
    const arrivals = [0, 1, 2, 3, 250, 251, 252, 900];
    expect(largestGap(arrivals, { from: 2.5, to: 600 })).toBe(247);
  });

  it('ignores larger gaps that end outside the window', () => {
    const arrivals = [0, 1000, 1001, 1300, 1301, 5000];
    expect(largestGap(arrivals, { from: 1000.5, to: 2000 })).toBe(299);
  });

  it('is NaN when nothing arrived in the window', () => {
    expect(largestGap([0, 1, 2], { from: 10, to: 20 })).toBeNaN();
  });
});
