/** Small builders and collectors shared by the engine's specs. */
import { concat, from, throwError, type Observable, type OperatorFunction } from 'rxjs';
import type { InputEvent, RuleEmission } from '../edge-rule';

export const inputEvent = (value: unknown, seq = 0, input = 0): InputEvent => ({
  value,
  input,
  seq,
  arrivedAt: 1_000 + seq,
});

export const inputEvents = (...values: unknown[]): InputEvent[] =>
  values.map((value, seq) => inputEvent(value, seq));

export interface Collected<T> {
  items: T[];
  error?: unknown;
  completed: boolean;
}

/** Subscribes synchronously and records everything the operator emits. */
export function collect<I, O>(op: OperatorFunction<I, O>, source: Observable<I>): Collected<O> {
  const result: Collected<O> = { items: [], completed: false };
  op(source).subscribe({
    next: (item) => result.items.push(item),
    error: (error: unknown) => (result.error = error),
    complete: () => (result.completed = true),
  });
  return result;
}

export const failingAfter = <T>(items: T[], error: Error): Observable<T> =>
  concat(
    from(items),
    throwError(() => error),
  );

/** An emission as plain data (an output's value and bytes read through), for deep equality. */
export function plainEmission(item: RuleEmission): RuleEmission {
  if (item.kind !== 'output') return item;
  const { value, raw } = item;
  return raw === undefined ? { kind: 'output', value } : { kind: 'output', value, raw };
}
