import { from, of, Subject, take } from 'rxjs';
import { collect, failingAfter } from '../testing/events';
import { parseJson, type RawInput } from './parse-json';

const clock = () => 42;

describe('parseJson', () => {
  it('completes without items on empty input', () => {
    const result = collect(parseJson({ now: clock }), from<RawInput[]>([]));
    expect(result).toEqual({ items: [], completed: true });
  });

  it('parses a single Buffer into an InputEvent that keeps the bytes as received', () => {
    const body = Buffer.from('{"t":1}');
    const result = collect(parseJson({ now: clock }), of(body));
    expect(result.items).toEqual([{ value: { t: 1 }, input: 0, seq: 0, arrivedAt: 42, raw: body }]);
    expect(result.completed).toBe(true);
  });

  it('numbers many events in order and keeps their input tag', () => {
    const two = Buffer.from('"two"');
    const raws: RawInput[] = ['1', two, { body: '[3]', input: 1 }, 'null'];
    const result = collect(parseJson({ now: clock }), from(raws));
    expect(result.items).toEqual([
      { value: 1, input: 0, seq: 0, arrivedAt: 42, raw: '1' },
      { value: 'two', input: 0, seq: 1, arrivedAt: 42, raw: two },
      { value: [3], input: 1, seq: 2, arrivedAt: 42, raw: '[3]' },
      { value: null, input: 0, seq: 3, arrivedAt: 42, raw: 'null' },
    ]);
  });

  it('turns bad JSON into a not-json dead letter and keeps going', () => {
    const result = collect(
      parseJson({ now: clock }),
      from(['{"a":', 'not json', '', '{"ok":true}']),
    );
    expect(result.items.map((item) => ('kind' in item ? item.reason : 'event'))).toEqual([
      'not-json',
      'not-json',
      'not-json',
      'event',
    ]);
    expect(result.items[1]).toMatchObject({ kind: 'dead-letter', value: 'not json' });
    expect(result.items[3]).toMatchObject({ value: { ok: true }, seq: 3 });
  });

  it('preserves input order (it is stateless; seq follows arrival)', () => {
    const result = collect(parseJson({ now: clock }), from(['3', '1', '2']));
    expect(result.items.map((item) => ('value' in item ? item.value : undefined))).toEqual([
      3, 1, 2,
    ]);
  });

  it('passes a source error through after what came before', () => {
    const boom = new Error('socket closed');
    const result = collect(parseJson({ now: clock }), failingAfter(['1'], boom));
    expect(result.items).toHaveLength(1);
    expect(result.error).toBe(boom);
  });

  it('stops when the consumer takes only some items', () => {
    const source = new Subject<string>();
    const result = collect((s) => parseJson({ now: clock })(s).pipe(take(2)), source);
    source.next('1');
    source.next('2');
    expect(source.observed).toBe(false);
    expect(result.items).toHaveLength(2);
    expect(result.completed).toBe(true);
  });

  it('dead-letters an event whose clock callback throws and continues', () => {
    let calls = 0;
    const now = () => {
      calls++;
      if (calls === 1) throw new Error('clock broke');
      return 7;
    };
    const result = collect(parseJson({ now }), from(['1', '2']));
    expect(result.items[0]).toMatchObject({
      kind: 'dead-letter',
      reason: 'rule-error',
      value: '1',
    });
    expect(result.items[1]).toMatchObject({ value: 2, arrivedAt: 7 });
  });

  it('restarts numbering for each subscription', () => {
    const parsed = parseJson({ now: clock })(from(['1']));
    const seqs: number[] = [];
    parsed.subscribe((item) => 'seq' in item && seqs.push(item.seq));
    parsed.subscribe((item) => 'seq' in item && seqs.push(item.seq));
    expect(seqs).toEqual([0, 0]);
  });
});
