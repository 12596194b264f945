import type { Delivery } from '@ruleshift/broker';
import { AckLedger, type AckSink } from './ack-ledger';
import { ConfirmEpoch } from './confirm-epoch';

const delivery = (deliveryTag: number): Delivery => ({
  body: Buffer.from('{}'),
  exchange: 'x',
  routingKey: 'k',
  headers: {},
  redelivered: false,
  deliveryTag,
});
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function ledgerWithSink(ready = true) {
  const acks: [number, boolean][] = [];
  const sink: AckSink & { ready: boolean } = {
    ready,
    ack(d, allUpTo) {
      if (!this.ready) return false;
      acks.push([d.deliveryTag, allUpTo]);
      return true;
    },
  };
  return { ledger: new AckLedger(sink), acks, sink };
}

describe('AckLedger', () => {
  it('acks a single settled delivery without allUpTo', async () => {
    const { ledger, acks } = ledgerWithSink();
    ledger.track(delivery(1)).finishProcessing();
    await tick();
    expect(acks).toEqual([[1, false]]);
  });

  it('never acks past an unsettled delivery, then acks the run at once', async () => {
    const { ledger, acks } = ledgerWithSink();
    const first = ledger.track(delivery(1));
    first.pending = 1;
    first.finishProcessing();
    ledger.track(delivery(2)).finishProcessing();
    ledger.track(delivery(3)).finishProcessing();
    await tick();
    expect(acks).toEqual([]);
    first.confirm();
    await tick();
    expect(acks).toEqual([[3, true]]);
    expect(ledger.unsettled).toBe(0);
  });

  it('waits while the delivery is still being processed', async () => {
    const { ledger, acks } = ledgerWithSink();
    const entry = ledger.track(delivery(1));
    entry.pending = 1;
    entry.confirm();
    await tick();
    expect(acks).toEqual([]);
    entry.finishProcessing();
    await tick();
    expect(acks).toEqual([[1, false]]);
  });

  it('retries when the consumer was not known yet', async () => {
    const { ledger, acks, sink } = ledgerWithSink(false);
    ledger.track(delivery(1)).finishProcessing();
    await tick();
    expect(acks).toEqual([]);
    sink.ready = true;
    ledger.settle();
    await tick();
    expect(acks).toEqual([[1, false]]);
  });

  it('whenIdle resolves once everything is acked, or on abandon', async () => {
    const { ledger } = ledgerWithSink();
    const entry = ledger.track(delivery(1));
    entry.pending = 1;
    entry.finishProcessing();
    let idle = false;
    const waiting = ledger.whenIdle().then(() => (idle = true));
    await tick();
    expect(idle).toBe(false);
    entry.confirm();
    await waiting;
    expect(idle).toBe(true);

    const other = ledgerWithSink().ledger;
    other.track(delivery(1));
    const abandoned = other.whenIdle();
    other.abandon();
    await expect(abandoned).resolves.toBeUndefined();
  });

  it('keeps order across many entries (compaction included)', async () => {
    const { ledger, acks } = ledgerWithSink();
    for (let tag = 1; tag <= 10_000; tag++) {
      ledger.track(delivery(tag)).finishProcessing();
      if (tag % 1000 === 0) await tick();
    }
    await tick();
    expect(acks.at(-1)).toEqual([10_000, true]);
    expect(acks.map(([tag]) => tag)).toEqual([...acks.map(([tag]) => tag)].sort((a, b) => a - b));
  });
});

describe('ConfirmEpoch', () => {
  it('is drained only when it and every earlier epoch are confirmed', async () => {
    const first = new ConfirmEpoch();
    first.pending = 1;
    const second = new ConfirmEpoch(first);
    second.pending = 1;
    let drained = false;
    const waiting = second.drained().then(() => (drained = true));
    second.confirm();
    await tick();
    expect(drained).toBe(false);
    first.confirm();
    await waiting;
    expect(drained).toBe(true);
  });

  it('stops waiting when abandoned', async () => {
    const epoch = new ConfirmEpoch();
    epoch.pending = 3;
    const waiting = epoch.drained();
    epoch.abandon();
    await expect(waiting).resolves.toBeUndefined();
  });
});
