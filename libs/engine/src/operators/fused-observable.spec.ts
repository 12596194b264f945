import { from, map, Observable, Subject, take, type Observer } from 'rxjs';
import type { InputEvent, RuleEmission } from '../edge-rule';
import { collect, failingAfter, inputEvents, plainEmission } from '../testing/events';
import { catchRuleErrors } from './catch-rule-errors';
import { applyToEvents } from './apply-to-events';
import { output } from './emissions';
import {
  fusedHead,
  fusedOperator,
  FusedObservable,
  isIsolated,
  stagesOn,
  type Stage,
} from './fused-observable';
import { parseJson } from './parse-json';
import { perEvent } from './per-event';
import { thresholdFilter } from './threshold-filter';

const addOne = fusedOperator<number, number>((down): Observer<number> => ({
  next: (value) => down.next(value + 1),
  error: (error: unknown) => down.error(error),
  complete: () => down.complete(),
}));
const double = fusedOperator<number, number>((down) => ({
  next: (value) => down.next(value * 2),
  error: (error: unknown) => down.error(error),
  complete: () => down.complete(),
}));

/** Counts subscriptions to `source`. */
function counted<T>(source: Observable<T>): { source: Observable<T>; subscriptions: () => number } {
  let subscriptions = 0;
  return {
    source: new Observable<T>((subscriber) => {
      subscriptions++;
      return source.subscribe(subscriber);
    }),
    subscriptions: () => subscriptions,
  };
}

describe('fusedOperator', () => {
  it('chains fused stages onto one subscription of the original upstream', () => {
    const { source, subscriptions } = counted(from([1, 2, 3]));
    const chained = double(addOne(source));
    expect(chained).toBeInstanceOf(FusedObservable);
    expect((chained as FusedObservable<number>).upstream).toBe(source);
    expect(collect((s) => s, chained)).toEqual({ items: [4, 6, 8], completed: true });
    expect(subscriptions()).toBe(1);
  });

  it('passes source errors through every stage', () => {
    const boom = new Error('x');
    expect(collect((s) => double(addOne(s)), failingAfter([1], boom))).toEqual({
      items: [4],
      error: boom,
      completed: false,
    });
  });

  it('unsubscribes the upstream when the consumer leaves', () => {
    const source = new Subject<number>();
    const result = collect((s) => double(addOne(s)).pipe(take(1)), source);
    source.next(1);
    expect(result.items).toEqual([4]);
    expect(source.observed).toBe(false);
  });

  it('mixes with ordinary RxJS operators', () => {
    const mixed = double(map((n: number) => n * 10)(addOne(from([1, 2]))));
    expect(collect((s) => s, mixed).items).toEqual([40, 60]);
  });

  it('builds the stages afresh for each subscription', () => {
    let seq = 0;
    const numbered = fusedOperator<number, number>((down) => {
      let local = 0;
      seq++;
      return {
        next: () => down.next(local++),
        error: (error: unknown) => down.error(error),
        complete: () => down.complete(),
      };
    });
    const chain = numbered(from([7, 7]));
    expect(collect((s) => s, chain).items).toEqual([0, 1]);
    expect(collect((s) => s, chain).items).toEqual([0, 1]);
    expect(seq).toBe(2);
  });
});

describe('stagesOn', () => {
  it('returns the stages between a fused head and a fully fused result', () => {
    const events = new Subject<number>();
    const stages = stagesOn(double(addOne(fusedHead(events))), events) as Stage<number, number>;
    const seen: number[] = [];
    const sink = stages(
      { next: (n) => seen.push(n), error: () => undefined, complete: () => undefined },
      new Subject<number>().subscribe(),
    );
    sink.next(1);
    expect(seen).toEqual([4]);
  });

  it('is undefined when a non-fused operator sits in between', () => {
    const events = new Subject<number>();
    const rule = double(map((n: number) => n)(fusedHead(events)));
    expect(stagesOn(rule, events)).toBeUndefined();
  });
});

describe('isolated operators', () => {
  it('marks perEvent operators, so catchRuleErrors adds nothing around them', () => {
    const step = perEvent<InputEvent, RuleEmission>(
      (event) => output(event.value),
      () => output('never'),
    );
    expect(isIsolated(step)).toBe(true);
    expect(catchRuleErrors(step)).toBe(step);
    const filter = thresholdFilter({ condition: '>', threshold: 1, fieldName: 't' });
    expect(catchRuleErrors(catchRuleErrors(filter))).toBe(filter);
  });

  it('does not mark operators that may error on their own', () => {
    const fragile = map((event: InputEvent): RuleEmission => output(event.value));
    expect(isIsolated(fragile)).toBe(false);
    expect(catchRuleErrors(fragile)).not.toBe(fragile);
    expect(collect(catchRuleErrors(fragile), from(inputEvents('a'))).items).toEqual([output('a')]);
  });
});

describe('parseJson -> applyToEvents -> fused rule', () => {
  it('runs in one subscription of the raw source, dead letters in place', () => {
    const { source, subscriptions } = counted(from(['{"t":5}', 'nope', '{"t":0}']));
    const rule = thresholdFilter({ condition: '>', threshold: 1, fieldName: 't' });
    const chain = applyToEvents(catchRuleErrors(rule))(parseJson({ now: () => 1 })(source));
    expect((chain as FusedObservable<RuleEmission>).upstream).toBe(source);
    const result = collect((s) => s, chain);
    expect(result.items.map(plainEmission)).toEqual([
      output({ t: 5 }, '{"t":5}'),
      expect.objectContaining({ kind: 'dead-letter', reason: 'not-json', value: 'nope' }),
    ]);
    expect(result.completed).toBe(true);
    expect(subscriptions()).toBe(1);
  });
});
