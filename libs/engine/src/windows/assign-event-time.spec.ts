import { EMPTY, from, of, Subject } from 'rxjs';
import { collect, failingAfter } from '../testing/events';
import { assignEventTime } from './assign-event-time';
import { event, field } from './testing/records';

const stamp = assignEventTime({ timeOf: field('ts'), path: '$.ts' });

describe('assignEventTime', () => {
  it('passes completion of an empty input', () => {
    const result = collect(stamp, EMPTY);
    expect(result).toEqual({ items: [], completed: true });
  });

  it('stamps a single event with its ms-epoch time', () => {
    const input = event({ ts: 1000 });
    expect(collect(stamp, of(input)).items).toEqual([{ kind: 'timed', event: input, time: 1000 }]);
  });

  it('stamps many events in arrival order, out-of-order times included', () => {
    const inputs = [
      event({ ts: 3000 }),
      event({ ts: '1970-01-01T00:00:01Z' }),
      event({ ts: 2000 }),
    ];
    const times = collect(stamp, from(inputs)).items.map((item) =>
      item.kind === 'timed' ? item.time : item.kind,
    );
    expect(times).toEqual([3000, 1000, 2000]);
  });

  it('dead-letters a missing timestamp as missing-field and an unparseable one as wrong-type', () => {
    const items = collect(stamp, from([event({}), event({ ts: 'noon' }), event({ ts: 5 })])).items;
    expect(items.map((item) => (item.kind === 'dead-letter' ? item.reason : item.kind))).toEqual([
      'missing-field',
      'wrong-type',
      'timed',
    ]);
    expect(items[0]).toMatchObject({ detail: 'no value at $.ts', value: {} });
  });

  it('propagates a source error after the events before it', () => {
    const error = new Error('broker gone');
    const result = collect(stamp, failingAfter([event({ ts: 1 })], error));
    expect(result.items).toHaveLength(1);
    expect(result.error).toBe(error);
  });

  it('leaves nothing subscribed upstream when unsubscribed mid-stream', () => {
    const source = new Subject<ReturnType<typeof event>>();
    const seen: unknown[] = [];
    const subscription = stamp(source).subscribe((item) => seen.push(item));
    source.next(event({ ts: 1 }));
    subscription.unsubscribe();
    source.next(event({ ts: 2 }));
    expect(seen).toHaveLength(1);
    expect(source.observed).toBe(false);
  });

  it('dead-letters an event whose accessor throws as rule-error and goes on', () => {
    const throwing = assignEventTime({
      timeOf: (value) => {
        if ((value as { bad?: boolean }).bad) throw new Error('boom');
        return 7;
      },
      path: '$.ts',
    });
    const items = collect(throwing, from([event({ bad: true }), event({})])).items;
    expect(items[0]).toMatchObject({
      kind: 'dead-letter',
      reason: 'rule-error',
      detail: 'timestamp $.ts: boom',
    });
    expect(items[1]).toMatchObject({ kind: 'timed', time: 7 });
  });
});
