/**
 * The skeleton of a stateless operator: one synchronous call per item, no allocation beyond
 * what `project` returns. A throwing `project` becomes `onError`'s emission and the stream
 * continues; source errors and completion pass through unchanged.
 */
import { Observable, type OperatorFunction } from 'rxjs';

export function perEvent<I, O>(
  project: (item: I) => O | undefined,
  onError: (item: I, error: unknown) => O,
): OperatorFunction<I, O> {
  return (source) =>
    new Observable<O>((subscriber) =>
      source.subscribe({
        next(item) {
          let result: O | undefined;
          try {
            result = project(item);
          } catch (error) {
            result = onError(item, error);
          }
          if (result !== undefined) subscriber.next(result);
        },
        error(error: unknown) {
          subscriber.error(error);
        },
        complete() {
          subscriber.complete();
        },
      }),
    );
}
