import type { RuleSnapshot } from '@ruleshift/contracts';
import { flushMicrotasks } from '../testing/fake-broker';
import { ManualClock } from '../testing/manual-clock';
import { bodyFingerprint } from './body-fingerprint';
import { CheckpointSettlement } from './checkpoint-settlement';
import { deliveryStateOf, type CheckpointedSnapshot } from './delivery-checkpoint';
import { settlementRunFixture } from '../testing/settlement-run';

describe('CheckpointSettlement', () => {
  function setup(save: (snapshot: RuleSnapshot) => Promise<void> = () => Promise.resolve()) {
    const fixture = settlementRunFixture(8);
    const saved: CheckpointedSnapshot[] = [];
    const clock = new ManualClock();
    const settlement = new CheckpointSettlement({
      clock,
      intervalMs: 1000,
      checkpoints: {
        load: () => Promise.resolve(undefined),
        save: (snapshot) => {
          saved.push(snapshot);
          return save(snapshot);
        },
      },
    });
    /** One delivery through the strategy; emits when it is not skipped. */
    const process = (text: string, redelivered = false): boolean => {
      const delivery = fixture.consumer.deliver(text, { redelivered });
      if (!settlement.accept(fixture.binding, delivery)) return false;
      fixture.state.count++;
      settlement.output(
        fixture.binding,
        'alerts',
        'hot',
        Buffer.from(`{"count":${fixture.state.count}}`),
      );
      settlement.finish(fixture.binding, delivery);
      return true;
    };
    return { ...fixture, saved, clock, settlement, process };
  }

  it('holds emissions until the checkpoint that holds them is saved, then publishes and acks', async () => {
    const { core, consumer, saved, clock, settlement, run, process, checkpointed } = setup();
    await settlement.begin(run, deliveryStateOf(undefined));
    settlement.subscribed();
    process('{"i":1}');
    process('{"i":2}');
    expect(core.published).toEqual([]);
    clock.fireAll();
    await flushMicrotasks();
    expect(saved.map((s) => s.state)).toEqual([{ count: 2 }]);
    expect(core.published.map((m) => m.options.messageId)).toEqual(
      saved[0].outbox!.map((entry) => entry.messageId),
    );
    expect(consumer.acks).toEqual([{ tag: 2, allUpTo: true }]);
    expect(checkpointed).toHaveLength(1);
    expect(checkpointed[0]).not.toHaveProperty('outbox');
  });

  it('republishes a restored outbox and skips the redeliveries its state absorbed', async () => {
    const { core, consumer, settlement, run, process, saved } = setup();
    const restored = deliveryStateOf({
      ...run.snapshot(),
      checkpoint: 4,
      outbox: [
        {
          kind: 'output',
          input: 0,
          exchange: 'alerts',
          routingKey: 'hot',
          messageId: 'job-1:4:0:abc',
          encoding: 'utf8',
          body: '{"count":9}',
        },
      ],
      unackedInputs: [{ input: 0, fingerprints: [[bodyFingerprint(Buffer.from('{"i":9}')), 1]] }],
    } as CheckpointedSnapshot);
    await settlement.begin(run, restored);
    expect(core.published.map((m) => m.options.messageId)).toEqual(['job-1:4:0:abc']);
    expect(process('{"i":9}', true)).toBe(false);
    expect(process('{"i":10}')).toBe(true);
    await settlement.settle();
    expect(saved[0].checkpoint).toBe(5);
    expect(saved[0].outbox!.map((entry) => entry.body)).toEqual(['{"count":1}']);
    expect(consumer.ackedTags()).toEqual([1, 2]);
  });

  it('a checkpoint that cannot be saved leaves its inputs unacked and its outbox for the next', async () => {
    let refuse = true;
    const { core, consumer, saved, settlement, run, process } = setup(() =>
      refuse ? Promise.reject(new Error('disk full')) : Promise.resolve(),
    );
    await settlement.begin(run, deliveryStateOf(undefined));
    process('{"i":1}');
    await expect(settlement.settle()).rejects.toThrow('disk full');
    expect(core.published).toEqual([]);
    expect(consumer.acks).toEqual([]);
    refuse = false;
    await settlement.settle();
    expect(saved[1].outbox!.map((entry) => entry.body)).toEqual(['{"count":1}']);
    expect(consumer.acks).toEqual([{ tag: 1, allUpTo: true }]);
  });

  it('checkpoints early once half the prefetch window waits', async () => {
    const { saved, settlement, run, process } = setup();
    await settlement.begin(run, deliveryStateOf(undefined));
    settlement.subscribed();
    for (let i = 0; i < 4; i++) process(`{"i":${i}}`);
    await flushMicrotasks();
    expect(saved.map((s) => s.state)).toEqual([{ count: 4 }]);
  });
});
