/**
 * The skeleton of a stateless operator: one synchronous call per item, no allocation beyond
 * what `project` returns. A throwing `project` becomes `onError`'s emission and the stream
 * continues; source errors and completion pass through unchanged. Fused (see fusedOperator):
 * chained with the engine's other operators it adds no subscriber hop.
 */
import type { OperatorFunction } from 'rxjs';
import { fusedOperator, markIsolated } from './fused-observable';

export function perEvent<I, O>(
  project: (item: I) => O | undefined,
  onError: (item: I, error: unknown) => O,
): OperatorFunction<I, O> {
  const operator = fusedOperator<I, O>((downstream) => ({
    next(item) {
      let result: O | undefined;
      try {
        result = project(item);
      } catch (error) {
        result = onError(item, error);
      }
      if (result !== undefined) downstream.next(result);
    },
    error(error: unknown) {
      downstream.error(error);
    },
    complete() {
      downstream.complete();
    },
  }));
  return markIsolated(operator);
}
