import { from, map, Subject, take } from 'rxjs';
import type { InputEvent, RuleEmission } from '../edge-rule';
import { collect, failingAfter, inputEvent } from '../testing/events';
import { applyToEvents } from './apply-to-events';
import { deadLetter, output, type ParsedInput } from './emissions';
import { isolate } from './isolate';

const echo = map((e: InputEvent): RuleEmission => output(e.value));
const notJson = deadLetter('not-json', 'Unexpected token', 'x');

describe('applyToEvents', () => {
  it('completes without items on empty input', () => {
    expect(collect(applyToEvents(echo), from<ParsedInput[]>([]))).toEqual({
      items: [],
      completed: true,
    });
  });

  it('routes a single event through the rule', () => {
    expect(collect(applyToEvents(echo), from([inputEvent(1)])).items).toEqual([output(1)]);
  });

  it('lets parse dead letters bypass the rule, in arrival order', () => {
    const items: ParsedInput[] = [inputEvent(1, 0), notJson, inputEvent(2, 2)];
    expect(collect(applyToEvents(echo), from(items)).items).toEqual([
      output(1),
      notJson,
      output(2),
    ]);
  });

  it('passes a source error through', () => {
    const boom = new Error('x');
    expect(
      collect(applyToEvents(echo), failingAfter<ParsedInput>([inputEvent(1)], boom)).error,
    ).toBe(boom);
  });

  it('stops on early unsubscribe', () => {
    const source = new Subject<ParsedInput>();
    const result = collect((s) => applyToEvents(echo)(s).pipe(take(1)), source);
    source.next(inputEvent(1));
    expect(source.observed).toBe(false);
    expect(result.items).toEqual([output(1)]);
  });

  it('keeps going after a throwing rule step (isolated)', () => {
    const rule = isolate((e) => {
      if (e.value === 0) throw new Error('zero');
      return output(e.value);
    });
    const result = collect(applyToEvents(rule), from([inputEvent(0, 0), inputEvent(1, 1)]));
    expect(result.items).toEqual([expect.objectContaining({ reason: 'rule-error' }), output(1)]);
  });

  it('preserves order for out-of-order input', () => {
    const items = [inputEvent(3, 0), inputEvent(1, 1)];
    expect(collect(applyToEvents(echo), from(items)).items).toEqual([output(3), output(1)]);
  });
});
