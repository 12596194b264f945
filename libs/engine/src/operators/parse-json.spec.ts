import { from, of, Subject, take } from 'rxjs';
import { collect, failingAfter } from '../testing/events';
import type { InputEvent } from '../edge-rule';
import { compileJsonPath } from '../json-path/json-path';
import { parseJson, type RawInput } from './parse-json';
import { readField } from './read-field';

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

describe("parseJson with the rule's fieldPaths", () => {
  const fieldPaths = ['$.ts', "$['deviceId']", '$.a.b'];
  const parse = (raws: RawInput[]) =>
    collect(parseJson({ now: clock, fieldPaths }), from(raws)).items as InputEvent[];

  it('extracts the top-level members and parses the whole value only when asked', () => {
    const body = Buffer.from('{"deviceId":"d1","ts":5,"ts":6,"t":true}');
    const [event] = parse([body]);
    expect(event.fields).toEqual({ ts: 6, deviceId: 'd1' });
    expect(event).toMatchObject({ input: 0, seq: 0, arrivedAt: 42, raw: body });
    expect(event.value).toEqual({ deviceId: 'd1', ts: 6, t: true });
    expect(event.value).toBe(event.value);
  });

  it('parses whole what the extraction leaves (whitespace, nesting, not an object)', () => {
    const events = parse(['{ "ts": 1 }', '{"ts":{"x":1}}', '[1]']);
    expect(events.map((event) => event.fields)).toEqual([undefined, undefined, undefined]);
    expect(events.map((event) => event.value)).toEqual([{ ts: 1 }, { ts: { x: 1 } }, [1]]);
  });

  it('still dead-letters bad JSON as not-json', () => {
    const items = collect(
      parseJson({ now: clock, fieldPaths }),
      from(['{"ts":1', '{"ts":2}']),
    ).items;
    expect(items[0]).toMatchObject({ kind: 'dead-letter', reason: 'not-json', value: '{"ts":1' });
    expect(items[1]).toMatchObject({ fields: { ts: 2 }, seq: 1 });
  });

  it('reads through readField as from the whole value, declared path or not', () => {
    const [event] = parse(['{"ts":5,"a":1,"z":"last"}']);
    const read = (path: string) => readField(compileJsonPath(path), event);
    expect(read('$.ts')).toBe(5);
    expect(read('$.a')).toBe(1);
    expect(read('$.z')).toBe('last');
    expect(read('$.deviceId')).toBeUndefined();
    expect(read('$')).toEqual({ ts: 5, a: 1, z: 'last' });
  });
});
