/**
 * The skeleton of a stateless operator: one synchronous call per item, no allocation beyond
 * what `project` returns. A throwing `project` becomes `onError`'s emission and the stream
 * continues; source errors and completion pass through unchanged. Fused (see fusedOperator):
 * chained with the engine's other operators it adds no subscriber hop.
 */
import type { Observer, OperatorFunction } from 'rxjs';
import { fusedOperator, markIsolated } from './fused-observable';
import { ForwardingStage } from './forwarding-stage';

export function perEvent<I, O>(
  project: (item: I) => O | undefined,
  onError: (item: I, error: unknown) => O,
): OperatorFunction<I, O> {
  const operator = fusedOperator<I, O>(
    (downstream) => new PerEventStage<I, O>(downstream, project, onError),
  );
  return markIsolated(operator);
}

/** One subscription's stage (a class: see `Stage`). */
class PerEventStage<I, O> extends ForwardingStage<I, O> {
  constructor(
    downstream: Observer<O>,
    private readonly project: (item: I) => O | undefined,
    private readonly onError: (item: I, error: unknown) => O,
  ) {
    super(downstream);
  }

  next(item: I): void {
    // Called as plain functions, as before they were fields: `this` is not the stage.
    const { project, onError } = this;
    let result: O | undefined;
    try {
      result = project(item);
    } catch (error) {
      result = onError(item, error);
    }
    if (result !== undefined) this.downstream.next(result);
  }
}
