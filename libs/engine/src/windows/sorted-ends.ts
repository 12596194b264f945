/** Inserts `value` into the ascending array `ends`; returns its index. Arrays stay short. */
export function insertSorted(ends: number[], value: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  ends.splice(lo, 0, value);
  return lo;
}

/** How many leading entries of the ascending array satisfy `end <= limit`. */
export function countUpTo(ends: readonly number[], limit: number): number {
  let n = 0;
  while (n < ends.length && ends[n] <= limit) n++;
  return n;
}
