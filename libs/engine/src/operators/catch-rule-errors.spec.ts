import { from, map, Observable, Subject, take, throwError, type OperatorFunction } from 'rxjs';
import type { InputEvent, RuleEmission } from '../edge-rule';
import { collect, failingAfter, inputEvent, inputEvents } from '../testing/events';
import { output } from './emissions';
import { catchRuleErrors } from './catch-rule-errors';

const passThrough: OperatorFunction<InputEvent, RuleEmission> = map((e) => output(e.value));
/** Fails on 'bad' the way an unguarded template operator would: the observable errors. */
const fragile: OperatorFunction<InputEvent, RuleEmission> = map((e) => {
  if (e.value === 'bad') throw new Error('template bug');
  return output(e.value);
});

describe('catchRuleErrors', () => {
  it('completes without items on empty input', () => {
    expect(collect(catchRuleErrors(passThrough), from<InputEvent[]>([]))).toEqual({
      items: [],
      completed: true,
    });
  });

  it('passes a single emission through', () => {
    expect(collect(catchRuleErrors(passThrough), from(inputEvents('a'))).items).toEqual([
      output('a'),
    ]);
  });

  it('passes many emissions through in order (also when input is out of order)', () => {
    expect(collect(catchRuleErrors(passThrough), from(inputEvents(3, 1, 2))).items).toEqual([
      output(3),
      output(1),
      output(2),
    ]);
  });

  it('dead-letters the failing event and resubscribes a fresh operator', () => {
    let instances = 0;
    const counted: OperatorFunction<InputEvent, RuleEmission> = (source) => {
      instances++;
      return fragile(source);
    };
    const result = collect(
      catchRuleErrors(counted),
      from(inputEvents('a', 'bad', 'b', 'bad', 'c')),
    );
    expect(result.items).toEqual([
      output('a'),
      { kind: 'dead-letter', reason: 'rule-error', detail: 'Error: template bug', value: 'bad' },
      output('b'),
      expect.objectContaining({ reason: 'rule-error', value: 'bad' }),
      output('c'),
    ]);
    expect(result.completed).toBe(true);
    expect(instances).toBe(3);
  });

  it('completes after a failure on the last event', () => {
    const result = collect(catchRuleErrors(fragile), from(inputEvents('bad')));
    expect(result.items).toEqual([expect.objectContaining({ reason: 'rule-error' })]);
    expect(result.completed).toBe(true);
  });

  it('passes a source error through', () => {
    const boom = new Error('source');
    const result = collect(catchRuleErrors(passThrough), failingAfter([inputEvent('a')], boom));
    expect(result).toEqual({ items: [output('a')], error: boom, completed: false });
  });

  it('errors instead of looping when the operator fails before any event', () => {
    const broken: OperatorFunction<InputEvent, RuleEmission> = () =>
      throwError(() => new Error('broken'));
    const result = collect(catchRuleErrors(broken), from(inputEvents('a')));
    expect((result.error as Error).message).toBe('broken');
  });

  it('unsubscribes the source and the inner operator on early stop', () => {
    const source = new Subject<InputEvent>();
    let innerTornDown = false;
    const tracked: OperatorFunction<InputEvent, RuleEmission> = (input) =>
      new Observable<RuleEmission>((subscriber) => {
        const sub = passThrough(input).subscribe(subscriber);
        return () => {
          innerTornDown = true;
          sub.unsubscribe();
        };
      });
    const result = collect((s) => catchRuleErrors(tracked)(s).pipe(take(1)), source);
    source.next(inputEvent('a'));
    expect(result.items).toEqual([output('a')]);
    expect(source.observed).toBe(false);
    expect(innerTornDown).toBe(true);
  });
});
