import type { Observer } from 'rxjs';

/**
 * The observer a stage gives one subscription: `next` is the stage's own; errors and completion
 * go downstream as they came unless the stage overrides them. A class, so every subscription of
 * every rule shares the same methods and V8 keeps their optimised code (see `Stage`).
 */
export abstract class ForwardingStage<I, O> implements Observer<I> {
  constructor(protected readonly downstream: Observer<O>) {}

  abstract next(value: I): void;

  error(error: unknown): void {
    this.downstream.error(error);
  }

  complete(): void {
    this.downstream.complete();
  }
}
