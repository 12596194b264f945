import { EventEmitter } from 'node:events';
import type { ConfirmChannel } from 'amqplib';
import { BrokerError } from '../broker-error';
import { Deque } from '../deque';
import { AmqpPublisher, type PublisherHost } from './amqp-publisher';

type ConfirmCallback = (error: unknown) => void;

/** A confirm channel whose socket buffer fills after `capacity` publishes until drained. */
class FakeConfirmChannel extends EventEmitter {
  readonly sent: string[] = [];
  readonly callbacks: ConfirmCallback[] = [];
  constructor(private capacity: number) {
    super();
  }
  publish(_e: string, _k: string, body: Buffer, _o: unknown, cb: ConfirmCallback): boolean {
    this.sent.push(body.toString());
    this.callbacks.push(cb);
    return this.sent.length < this.capacity;
  }
  drain(moreCapacity: number): void {
    this.capacity += moreCapacity;
    this.emit('drain');
  }
  waitForConfirms(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('AmqpPublisher', () => {
  function setup(capacity: number) {
    const channel = new FakeConfirmChannel(capacity);
    const host: PublisherHost = {
      logger: { warn: () => undefined },
      name: 'test',
      openConfirmChannel: jest.fn(() => Promise.resolve(channel as unknown as ConfirmChannel)),
      publishChannelFailed: jest.fn(),
    };
    return { channel, host, publisher: new AmqpPublisher(host) };
  }
  const publish = (p: AmqpPublisher, body: string) => p.publish('x', 'k', Buffer.from(body), {});

  it('keeps many publishes in flight and settles each on its own confirm', async () => {
    const { channel, publisher } = setup(100);
    const results = ['a', 'b', 'c'].map((b) => publish(publisher, b));
    await flush();
    expect(channel.sent).toEqual(['a', 'b', 'c']);
    channel.callbacks[1](null);
    channel.callbacks[0](new Error('nack'));
    channel.callbacks[2](null);
    await expect(results[0]).rejects.toBeInstanceOf(BrokerError);
    await expect(results[1]).resolves.toBeUndefined();
    await expect(results[2]).resolves.toBeUndefined();
  });

  it('waits for drain when the channel buffer is full, keeping order', async () => {
    const { channel, publisher } = setup(2);
    const all = ['1', '2', '3', '4', '5'].map((b) => publish(publisher, b));
    await flush();
    expect(channel.sent).toEqual(['1', '2']);
    channel.drain(2);
    await flush();
    expect(channel.sent).toEqual(['1', '2', '3', '4']);
    channel.drain(10);
    await flush();
    expect(channel.sent).toEqual(['1', '2', '3', '4', '5']);
    for (const cb of channel.callbacks) cb(null);
    await Promise.all(all);
  });

  it('rejects queued publishes when closed', async () => {
    const { channel, publisher } = setup(1);
    const first = publish(publisher, '1');
    const second = publish(publisher, '2');
    await flush();
    await publisher.close(BrokerError.of('CHANNEL_CLOSED', 'closed'));
    await expect(second).rejects.toMatchObject({ replyCode: 504 });
    channel.callbacks[0](null);
    await expect(first).resolves.toBeUndefined();
    await expect(publish(publisher, '3')).rejects.toBeInstanceOf(BrokerError);
  });

  it('queues waiting publishes in a Deque, not an array shifted per publish (O(n^2) drain)', async () => {
    const { channel, publisher } = setup(1);
    const arrayShift = jest.spyOn(Array.prototype, 'shift');
    const all = Array.from({ length: 1000 }, (_, i) => publish(publisher, String(i)));
    await flush();
    channel.drain(1000);
    await flush();
    expect(channel.sent).toHaveLength(1000);
    // Every waiting publish left through the deque: no Array#shift moved the others each time.
    expect(arrayShift).not.toHaveBeenCalled();
    arrayShift.mockRestore();
    expect((publisher as unknown as { waiting: unknown }).waiting).toBeInstanceOf(Deque);
    for (const cb of channel.callbacks) cb(null);
    await Promise.all(all);
  });
});
