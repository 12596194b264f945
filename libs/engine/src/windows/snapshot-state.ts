/**
 * The `state` of a window rule's snapshot (`ruleshift.snapshot/v1`, docs/snapshot-format.md).
 * Plain arrays of objects, numbers as JSON numbers, keys as their JSON value, so the Flink
 * jobs read and write the same shape.
 */
import { ValidationFailed } from '@ruleshift/contracts';

/** One open time window of one key. min/max are null while no value was aggregated. */
export interface TimeWindowEntry {
  key: unknown;
  start: number;
  end: number;
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
}

/** The events of one key not yet in a fired count window (the last ones, in arrival order). */
export interface CountWindowEntry {
  key: unknown;
  /** Events of this key counted so far (window boundaries are every `slide` of them). */
  seen: number;
  elements: { time: number; value: number | null }[];
}

export interface WindowAggregationState {
  windows: TimeWindowEntry[];
  countWindows: CountWindowEntry[];
}

/** Buffered events of one key in one open join window, in arrival order. */
export interface JoinWindowEntry {
  key: unknown;
  start: number;
  end: number;
  left: unknown[];
  right: unknown[];
}

export interface WindowJoinState {
  windows: JoinWindowEntry[];
}

export function invalidSnapshot(field: string, reason: string): ValidationFailed {
  return new ValidationFailed([{ field: `snapshot.state.${field}`, reason }]);
}

export function arrayAt(value: unknown, field: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalidSnapshot(field, 'must be an array');
  return value;
}

export function objectAt(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidSnapshot(field, 'must be an object');
  }
  return value as Record<string, unknown>;
}

export function numberAt(entry: Record<string, unknown>, name: string, field: string): number {
  const value = entry[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidSnapshot(`${field}.${name}`, 'must be a finite number');
  }
  return value;
}

export function nullableNumberAt(
  entry: Record<string, unknown>,
  name: string,
  field: string,
): number | null {
  return entry[name] === null || entry[name] === undefined ? null : numberAt(entry, name, field);
}
