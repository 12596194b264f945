/**
 * The pause a move causes, seen by a downstream consumer: the largest gap between consecutive
 * output arrivals around the move (the last output of the old placement -> the first of the
 * new one). Arrival times and the window are in the same clock (ms).
 */
export interface MoveWindow {
  /** When the move request was sent. */
  from: number;
  /** When the move answered, plus time for the new placement's first outputs. */
  to: number;
}

/**
 * Largest gap between consecutive arrivals whose later arrival falls inside the window; the
 * arrival just before `from` counts as the gap's start. NaN when nothing arrived in the window
 * (the new placement never produced anything).
 */
export function largestGap(arrivals: readonly number[], window: MoveWindow): number {
  let largest = Number.NaN;
  for (let i = 1; i < arrivals.length; i++) {
    const arrival = arrivals[i];
    if (arrival < window.from || arrival > window.to) continue;
    const gap = arrival - arrivals[i - 1];
    if (Number.isNaN(largest) || gap > largest) largest = gap;
  }
  return largest;
}
