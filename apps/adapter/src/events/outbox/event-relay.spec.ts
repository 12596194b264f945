import type { RuleshiftEvent } from '@ruleshift/contracts';
import { ManualClock } from '../../shared/clock';
import { EventPublisher } from '../event-publisher';
import { EventRelay, PUBLISH_TIMEOUT_MS } from './event-relay';
import { InMemoryEventOutbox } from './in-memory-event-outbox';

/** A broker that refuses while `refusing` is set, hangs while `hanging` is, else confirms. */
class FlakyPublisher extends EventPublisher {
  refusing = false;
  hanging = false;
  readonly published: string[] = [];

  publish(event: RuleshiftEvent): Promise<void> {
    if (this.refusing) return Promise.reject(new Error('NOT_FOUND - no exchange'));
    if (this.hanging) return new Promise(() => undefined);
    this.published.push(event.eventId);
    return Promise.resolve();
  }
}

const event = (
  jobId: string,
  name: 'started' | 'stopped' | 'moved',
  n: number,
): RuleshiftEvent => ({
  kind: 'job',
  event: name,
  eventId: `${jobId}-${n}`,
  jobId,
  jobType: 'filter',
  status: 'RUNNING',
  runtime: 'edge',
  targetResource: 'gw-1',
  at: '2026-01-01T00:00:00.000Z',
});

describe('EventRelay', () => {
  let outbox: InMemoryEventOutbox;
  let broker: FlakyPublisher;
  let clock: ManualClock;
  let relay: EventRelay;

  beforeEach(() => {
    outbox = new InMemoryEventOutbox();
    broker = new FlakyPublisher();
    clock = new ManualClock();
    relay = new EventRelay(outbox, broker, clock);
  });

  it('publishes pending events in order and marks them', async () => {
    outbox.append([event('a', 'started', 1), event('b', 'started', 1), event('a', 'stopped', 2)]);
    await relay.flush();
    expect(broker.published).toEqual(['a-1', 'b-1', 'a-2']);
    expect(await outbox.pending(10)).toEqual([]);
    expect(outbox.rows.every((r) => r.publishedAt?.getTime() === clock.now().getTime())).toBe(true);
  });

  it('survives a refusal: keeps the refused event and everything after it, in order, for the next round', async () => {
    outbox.append([event('a', 'started', 1)]);
    await relay.flush();
    broker.refusing = true;
    outbox.append([event('a', 'stopped', 2), event('b', 'started', 1)]);
    await expect(relay.flush()).resolves.toBeUndefined();
    expect(broker.published).toEqual(['a-1']);
    const pending = await outbox.pending(10);
    expect(pending.map((p) => [p.event.eventId, p.attempts])).toEqual([
      ['a-2', 1],
      ['b-1', 0],
    ]);
    expect(outbox.rows.find((r) => r.id === pending[0].id)?.lastError).toMatch(/NOT_FOUND/);

    await relay.flush(); // still refused: one more attempt, nothing overtakes
    expect((await outbox.pending(10))[0].attempts).toBe(2);

    broker.refusing = false;
    outbox.append([event('a', 'moved', 3)]);
    await relay.flush();
    expect(broker.published).toEqual(['a-1', 'a-2', 'b-1', 'a-3']);
    expect(await outbox.pending(10)).toEqual([]);
  });

  it('counts a publish the broker never confirms as refused once the timeout passes', async () => {
    broker.hanging = true;
    outbox.append([event('a', 'started', 1)]);
    const round = relay.flush();
    await new Promise((resolve) => setImmediate(resolve)); // the round is waiting on the broker
    clock.advance(PUBLISH_TIMEOUT_MS);
    await round;
    expect((await outbox.pending(10)).map((p) => [p.event.eventId, p.attempts])).toEqual([
      ['a-1', 1],
    ]);
    broker.hanging = false;
    await relay.flush();
    expect(broker.published).toEqual(['a-1']);
  });

  it('keeps going when the outbox cannot be read, and publishes on the next round', async () => {
    const reading = jest.spyOn(outbox, 'pending').mockRejectedValueOnce(new Error('registry down'));
    outbox.append([event('a', 'started', 1)]);
    await expect(relay.flush()).resolves.toBeUndefined();
    expect(broker.published).toEqual([]);
    await relay.flush();
    expect(broker.published).toEqual(['a-1']);
    reading.mockRestore();
  });
});
