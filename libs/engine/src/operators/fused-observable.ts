/**
 * Stage fusion for the engine's own synchronous operators. Each RxJS operator layer costs a
 * subscriber hop per event (Subscriber -> ConsumerObserver -> handler, all megamorphic call
 * sites shared by every layer), which dominated the per-event cost of the templates. An
 * operator built with `fusedOperator` does not add a layer when its source is already fused:
 * it appends its stage to the source's chain, and the whole chain runs inside one
 * subscription to the original upstream, handing items from stage to stage by plain calls.
 *
 * The result is still an ordinary Observable (subscribe, pipe, unsubscribe, errors and
 * completion behave as with separate layers): a stage passes errors and completion on the
 * way the RxJS version of the operator did.
 */
import { config, Observable, type Observer, type OperatorFunction, type Subscription } from 'rxjs';

/**
 * Builds the observer feeding a stage from the observer it emits into. `lifetime` is the
 * subscription of the whole chain (for teardowns a stage needs); it closes on unsubscribe.
 *
 * The engine's stages build an instance of a class, not an object of closures. V8 keeps a
 * function's optimised code only as long as some function object holding it lives: closures
 * made per subscription die with it, and after a full collection between two subscriptions
 * (a rule restarted, moved or started again) every stage ran unoptimised until V8 compiled
 * it again. Prototype methods live as long as the engine, and so does their code.
 */
export type Stage<I, O> = (downstream: Observer<O>, lifetime: Subscription) => Observer<I>;

export class FusedObservable<T> extends Observable<T> {
  constructor(
    /** The observable the chain subscribes to (never itself a FusedObservable). */
    readonly upstream: Observable<unknown>,
    readonly stage: Stage<unknown, T>,
  ) {
    super((subscriber) => {
      const head = stage(subscriber, subscriber);
      if (subscriber.closed) return undefined;
      return upstream.subscribe(head);
    });
  }
}

/** An operator whose stage joins a fused source's chain instead of subscribing to it. */
export function fusedOperator<I, O>(stage: Stage<I, O>): OperatorFunction<I, O> {
  return (source) => fuse(source, stage);
}

const isolatedOperators = new WeakSet<OperatorFunction<never, unknown>>();

/**
 * Records that `operator` never errors on its own: it only passes its source's errors on (a
 * throw in a stage is reported as unhandled, as in any observer, not as an error).
 */
export function markIsolated<I, O>(operator: OperatorFunction<I, O>): OperatorFunction<I, O> {
  isolatedOperators.add(operator);
  return operator;
}

export function isIsolated(operator: OperatorFunction<never, unknown>): boolean {
  return isolatedOperators.has(operator);
}

export function fuse<I, O>(source: Observable<I>, stage: Stage<I, O>): FusedObservable<O> {
  if (source instanceof FusedObservable) {
    const before = (source as FusedObservable<I>).stage;
    return new FusedObservable<O>(source.upstream, (downstream, lifetime) =>
      before(stage(downstream, lifetime), lifetime),
    );
  }
  return new FusedObservable<O>(source, stage as Stage<unknown, O>);
}

const passThrough = <T>(downstream: Observer<T>): Observer<T> => downstream;

/** A fused view of `events`: operators applied to it extend a chain that starts at `events`. */
export function fusedHead<T>(events: Observable<T>): FusedObservable<T> {
  return new FusedObservable<T>(events, passThrough as Stage<unknown, T>);
}

/**
 * The stages between `head` and `result` when `result` came from applying only fused
 * operators to `fusedHead(head)`; undefined when some operator in between was not fused.
 */
export function stagesOn<I, O>(
  result: Observable<O>,
  head: Observable<I>,
): Stage<I, O> | undefined {
  return result instanceof FusedObservable && result.upstream === head
    ? (result.stage as Stage<I, O>)
    : undefined;
}

/**
 * What an RxJS subscriber does with an error thrown by its observer: hands it to
 * `config.onUnhandledError`, or rethrows it on a later macrotask. For callers that feed a
 * stage directly, without a subscriber in between.
 */
export function reportUnhandledError(error: unknown): void {
  setTimeout(() => {
    const { onUnhandledError } = config;
    if (onUnhandledError) onUnhandledError(error);
    else throw error;
  });
}
