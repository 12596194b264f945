import { flushMicrotasks } from '../testing/fake-broker';
import { settlementRunFixture } from '../testing/settlement-run';
import { StatelessSettlement } from './stateless-settlement';

const body = (text: string): Buffer => Buffer.from(text);

describe('StatelessSettlement', () => {
  async function setup() {
    const fixture = settlementRunFixture();
    const settlement = new StatelessSettlement();
    await settlement.begin(fixture.run);
    settlement.subscribed();
    /** One delivery through the strategy, with `outputs` emissions. */
    const process = (text: string, outputs: string[], messageId?: string) => {
      const delivery = fixture.consumer.deliver(text, { messageId });
      expect(settlement.accept(fixture.binding, delivery)).toBe(true);
      for (const out of outputs) settlement.output(fixture.binding, 'alerts', 'hot', body(out));
      settlement.finish();
      return delivery;
    };
    return { ...fixture, settlement, process };
  }

  it('publishes at once and acks in delivery order once every publish of a delivery is confirmed', async () => {
    const { core, consumer, process } = await setup();
    core.autoConfirm = false;
    process('{"t":25}', ['{"t":25}']);
    process('{"t":1}', []); // filtered out: nothing to wait for, but acked after the first
    await flushMicrotasks();
    expect(core.published.map((m) => m.body.toString())).toEqual(['{"t":25}']);
    expect(consumer.acks).toEqual([]);
    core.confirmAll();
    await flushMicrotasks();
    expect(consumer.acks).toEqual([{ tag: 2, allUpTo: true }]);
  });

  it('ids each emission by its delivery and its index within it', async () => {
    const { core, edge, binding, settlement, consumer, process } = await setup();
    process('{"a":1}', ['x', 'y'], 'device-42');
    const delivery = consumer.deliver('not json');
    settlement.accept(binding, delivery);
    settlement.deadLetter(binding, 'ruleshift.dlx', 'job-1', delivery.body, { reason: 'x' });
    settlement.finish();
    expect(core.published.map((m) => m.options.messageId)).toEqual([
      'job-1:i0:m-device-42:0',
      'job-1:i0:m-device-42:1',
    ]);
    expect(edge.published[0].options).toMatchObject({
      messageId: expect.stringMatching(/^job-1:i0:f-[0-9a-f]{14}:0$/),
      headers: { reason: 'x' },
    });
  });

  it('settles at stop once everything is confirmed; a failure stops the wait', async () => {
    const { core, failures, settlement, process } = await setup();
    core.autoConfirm = false;
    process('{"t":25}', ['a']);
    let settled = false;
    void settlement.settle().then(() => (settled = true));
    await flushMicrotasks();
    expect(settled).toBe(false);
    core.rejectAll(new Error('channel closed'));
    await flushMicrotasks();
    expect(failures).toEqual([new Error('channel closed')]);
    settlement.abandon();
    await flushMicrotasks();
    expect(settled).toBe(true);
  });
});
