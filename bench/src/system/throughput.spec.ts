import { arrivalRate } from './throughput';

describe('arrivalRate', () => {
  it('is (count - 1) intervals over the time from the first to the last arrival', () => {
    const arrivals = [5, 100, 110, 120, 130, 140];
    expect(arrivalRate(arrivals, 1, 5)).toBe(100); // 4 intervals in 40 ms
  });

  it('is NaN when the outputs are not all there', () => {
    expect(arrivalRate([1, 2, 3], 1, 5)).toBeNaN();
  });
});
