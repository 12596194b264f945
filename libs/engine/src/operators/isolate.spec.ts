import { from, Subject, take } from 'rxjs';
import type { InputEvent, RuleEmission } from '../edge-rule';
import { collect, failingAfter, inputEvent, inputEvents } from '../testing/events';
import { output } from './emissions';
import { isolate, type RuleStep } from './isolate';

const double: RuleStep = (event) => output((event.value as number) * 2);

describe('isolate', () => {
  it('completes without items on empty input', () => {
    expect(collect(isolate(double), from<InputEvent[]>([]))).toEqual({
      items: [],
      completed: true,
    });
  });

  it('emits the step result for a single event', () => {
    expect(collect(isolate(double), from(inputEvents(2))).items).toEqual([output(4)]);
  });

  it('emits many results in order, flattening lists and skipping null/undefined', () => {
    const step: RuleStep = (event) => {
      const n = event.value as number;
      if (n === 0) return undefined;
      if (n === 1) return null;
      return [output(n), output(-n)];
    };
    expect(collect(isolate(step), from(inputEvents(0, 3, 1, 2))).items).toEqual([
      output(3),
      output(-3),
      output(2),
      output(-2),
    ]);
  });

  it('preserves order for out-of-order input', () => {
    expect(collect(isolate(double), from(inputEvents(3, 1, 2))).items).toEqual([
      output(6),
      output(2),
      output(4),
    ]);
  });

  it('turns a throwing step into a rule-error dead letter and continues', () => {
    const step: RuleStep = (event) => {
      if (event.value === 'bad') throw new TypeError('cannot handle');
      return output(event.value);
    };
    const result = collect(isolate(step), from(inputEvents('a', 'bad', 'b')));
    expect(result.items).toEqual([
      output('a'),
      {
        kind: 'dead-letter',
        reason: 'rule-error',
        detail: 'TypeError: cannot handle',
        value: 'bad',
      },
      output('b'),
    ]);
    expect(result.completed).toBe(true);
  });

  it('passes a source error through', () => {
    const boom = new Error('x');
    const result = collect(isolate(double), failingAfter([inputEvent(1)], boom));
    expect(result).toEqual({ items: [output(2)], error: boom, completed: false });
  });

  it('stops mid-list when downstream unsubscribes', () => {
    const source = new Subject<InputEvent>();
    const seen: RuleEmission[] = [];
    isolate(() => [output(1), output(2), output(3)])(source)
      .pipe(take(2))
      .subscribe((e) => seen.push(e));
    source.next(inputEvent(0));
    expect(seen).toEqual([output(1), output(2)]);
    expect(source.observed).toBe(false);
  });
});
