/**
 * Window assigners. Time windows are aligned to the epoch (as Flink's are): a window starts at
 * a multiple of its slide and covers [start, start + size). Tumbling is sliding with
 * slide = size. Count windows hold `size` consecutive events of a key, one starting every
 * `slide` events.
 */
export interface TimeWindows {
  readonly kind: 'time';
  readonly sizeMs: number;
  readonly slideMs: number;
}

export interface CountWindows {
  readonly kind: 'count';
  readonly size: number;
  readonly slide: number;
}

export type WindowAssigner = TimeWindows | CountWindows;

function positive(name: string, value: number, integer: boolean): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be a positive ${integer ? 'integer' : 'number'}`);
  }
  return value;
}

export function tumblingWindows(sizeMs: number): TimeWindows {
  positive('sizeMs', sizeMs, true);
  return { kind: 'time', sizeMs, slideMs: sizeMs };
}

export function slidingWindows(sizeMs: number, slideMs: number): TimeWindows {
  return {
    kind: 'time',
    sizeMs: positive('sizeMs', sizeMs, true),
    slideMs: positive('slideMs', slideMs, true),
  };
}

/** Tumbling count windows when `slide` is absent. */
export function countWindows(size: number, slide: number = size): CountWindows {
  return {
    kind: 'count',
    size: positive('size', size, true),
    slide: positive('slide', slide, true),
  };
}

/** The start of the latest window that contains `time`. */
export function lastWindowStart(windows: TimeWindows, time: number): number {
  const offset = ((time % windows.slideMs) + windows.slideMs) % windows.slideMs;
  // `+ 0` turns a -0 (an event time of -0, JSON "-0") into 0: one window start per window.
  return time - offset + 0;
}

/** The start of the earliest window that contains `time` (> lastWindowStart when none does). */
export function firstWindowStart(windows: TimeWindows, time: number): number {
  return firstWindowStartFrom(windows, time, lastWindowStart(windows, time));
}

/** firstWindowStart when `last` = lastWindowStart(windows, time) is known already. */
export function firstWindowStartFrom(windows: TimeWindows, time: number, last: number): number {
  // Starts s with s > time - size, stepping back by slide from `last`.
  const steps = Math.floor((windows.sizeMs - 1 - (time - last)) / windows.slideMs);
  return steps < 0 ? last + windows.slideMs : last - steps * windows.slideMs;
}
