import type { Consumer, Delivery } from '../broker-port';
import { BrokerError } from '../broker-error';
import { InMemoryBroker } from './in-memory-broker';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await turn();
}
const text = (d: Delivery): string => d.body.toString();
const buf = (s: string): Buffer => Buffer.from(s);

async function collect(
  broker: InMemoryBroker,
  queue: string,
  prefetch = 1000,
): Promise<{ consumer: Consumer; got: Delivery[] }> {
  const got: Delivery[] = [];
  const consumer = await broker.consume(queue, (d) => got.push(d), { prefetch });
  return { consumer, got };
}

describe('InMemoryBroker', () => {
  let broker: InMemoryBroker;
  beforeEach(() => {
    broker = new InMemoryBroker('test', { onHandlerError: () => undefined });
  });
  afterEach(() => broker.close());

  describe('browse, take, purge', () => {
    beforeEach(async () => {
      await broker.assert({ queues: [{ name: 'q' }] });
      for (const n of ['1', '2', '3']) await broker.publish('', 'q', buf(n), { headers: { n } });
    });
    const bodies = async () => (await broker.browse('q', 10)).map((m) => m.body.toString());

    it('browses in order and leaves every message in place', async () => {
      expect((await broker.browse('q', 2)).map((m) => [m.body.toString(), m.headers.n])).toEqual([
        ['1', '1'],
        ['2', '2'],
      ]);
      expect(await broker.queueDepth('q')).toBe(3);
    });

    it('takes from the head once the handler resolved; a failed one stays first', async () => {
      const taken: string[] = [];
      expect(await broker.take('q', 1, async (m) => void taken.push(m.body.toString()))).toBe(1);
      await expect(broker.take('q', 2, () => Promise.reject(new Error('nacked')))).rejects.toThrow(
        'nacked',
      );
      expect(taken).toEqual(['1']);
      expect(await bodies()).toEqual(['2', '3']);
      expect(await broker.take('q', 5, () => Promise.resolve())).toBe(2);
    });

    it('purges what is ready and says how much', async () => {
      expect(await broker.purge('q')).toBe(3);
      expect(await bodies()).toEqual([]);
    });
  });

  describe('routing', () => {
    it('routes a direct exchange by exact routing key', async () => {
      await broker.assert({
        exchanges: [{ name: 'x', type: 'direct' }],
        queues: [{ name: 'a' }, { name: 'b' }],
        bindings: [
          { queue: 'a', exchange: 'x', routingKey: 'k1' },
          { queue: 'b', exchange: 'x', routingKey: 'k2' },
        ],
      });
      await broker.publish('x', 'k1', buf('1'));
      await broker.publish('x', 'k2', buf('2'));
      await broker.publish('x', 'other', buf('3'));
      expect(await broker.queueDepth('a')).toBe(1);
      expect(await broker.queueDepth('b')).toBe(1);
    });

    it('copies to every queue of a fanout exchange regardless of key', async () => {
      await broker.assert({
        exchanges: [{ name: 'f', type: 'fanout' }],
        queues: [{ name: 'a' }, { name: 'b' }],
        bindings: [
          { queue: 'a', exchange: 'f', routingKey: '' },
          { queue: 'b', exchange: 'f', routingKey: 'ignored' },
        ],
      });
      await broker.publish('f', 'whatever', buf('1'));
      expect(await broker.queueDepth('a')).toBe(1);
      expect(await broker.queueDepth('b')).toBe(1);
    });

    it('matches topic wildcards and delivers once per queue', async () => {
      await broker.assert({
        exchanges: [{ name: 't', type: 'topic' }],
        queues: [{ name: 'star' }, { name: 'hash' }],
        bindings: [
          { queue: 'star', exchange: 't', routingKey: 'sensors.*.temp' },
          { queue: 'hash', exchange: 't', routingKey: 'sensors.#' },
          { queue: 'hash', exchange: 't', routingKey: '#.temp' },
        ],
      });
      await broker.publish('t', 'sensors.d1.temp', buf('1'));
      await broker.publish('t', 'sensors.d1.hum', buf('2'));
      await broker.publish('t', 'sensors.d1.x.temp', buf('3'));
      expect(await broker.queueDepth('star')).toBe(1);
      expect(await broker.queueDepth('hash')).toBe(3);
    });

    it('routes the default exchange to the queue named by the routing key', async () => {
      await broker.assert({ queues: [{ name: 'q' }] });
      await broker.publish('', 'q', buf('1'));
      await broker.publish('', 'missing', buf('2'));
      expect(await broker.queueDepth('q')).toBe(1);
    });

    it('rejects a publish to a missing exchange with 404 like RabbitMQ', async () => {
      await expect(broker.publish('nope', 'k', buf('1'))).rejects.toMatchObject({
        replyCode: 404,
      });
    });

    it('refuses an inequivalent redeclaration with 406', async () => {
      await broker.assert({ exchanges: [{ name: 'x', type: 'direct' }], queues: [{ name: 'q' }] });
      await broker.assert({ exchanges: [{ name: 'x', type: 'direct' }], queues: [{ name: 'q' }] });
      await expect(
        broker.assert({ exchanges: [{ name: 'x', type: 'topic' }] }),
      ).rejects.toMatchObject({
        replyCode: 406,
      });
      await expect(
        broker.assert({ queues: [{ name: 'q', durable: false }] }),
      ).rejects.toBeInstanceOf(BrokerError);
    });

    it('does not call consumers inside publish', async () => {
      await broker.assert({ queues: [{ name: 'q' }] });
      const { got } = await collect(broker, 'q');
      const published = broker.publish('', 'q', buf('1'));
      expect(got).toHaveLength(0);
      await published;
      await settle();
      expect(got.map(text)).toEqual(['1']);
    });
  });

  describe('consumers', () => {
    beforeEach(() => broker.assert({ queues: [{ name: 'q' }] }));

    async function publishAll(n: number): Promise<void> {
      for (let i = 0; i < n; i++) await broker.publish('', 'q', buf(String(i)));
    }

    it('keeps at most prefetch deliveries unacked', async () => {
      await publishAll(10);
      const { consumer, got } = await collect(broker, 'q', 3);
      await settle();
      expect(got.map(text)).toEqual(['0', '1', '2']);
      consumer.ack(got[0]);
      await settle();
      expect(got.map(text)).toEqual(['0', '1', '2', '3']);
    });

    it('round-robins among consumers', async () => {
      const a = await collect(broker, 'q', 10);
      const b = await collect(broker, 'q', 10);
      await publishAll(4);
      await settle();
      expect(a.got.map(text)).toEqual(['0', '2']);
      expect(b.got.map(text)).toEqual(['1', '3']);
    });

    it('acks everything up to a delivery with allUpTo', async () => {
      await publishAll(5);
      const { consumer, got } = await collect(broker, 'q', 5);
      await settle();
      consumer.ack(got[2], true);
      await consumer.close();
      expect(await broker.queueDepth('q')).toBe(2);
    });

    it('throws on a double ack (406, as RabbitMQ would close the channel)', async () => {
      await publishAll(1);
      const { consumer, got } = await collect(broker, 'q');
      await settle();
      consumer.ack(got[0]);
      expect(() => consumer.ack(got[0])).toThrow(BrokerError);
    });

    it('requeues a nacked delivery at its original position, marked redelivered', async () => {
      await publishAll(4);
      const first = await collect(broker, 'q', 2);
      await settle();
      // Nacking 0 before 1 must not put 1 in front of 0 (a plain unshift would).
      first.consumer.nack(first.got[0], true);
      first.consumer.nack(first.got[1], true);
      await first.consumer.cancel();
      const second = await collect(broker, 'q');
      await settle();
      expect(second.got.map(text)).toEqual(['0', '1', '2', '3']);
      expect(second.got.map((d) => d.redelivered)).toEqual([true, true, false, false]);
    });

    it('returns unsettled deliveries to the queue in order on close', async () => {
      await publishAll(6);
      const first = await collect(broker, 'q', 4);
      await settle();
      first.consumer.ack(first.got[1]);
      await first.consumer.close();
      const second = await collect(broker, 'q');
      await settle();
      expect(second.got.map(text)).toEqual(['0', '2', '3', '4', '5']);
    });

    it('delivers nothing after cancel; settling still works and close requeues the rest', async () => {
      await publishAll(3);
      const { consumer, got } = await collect(broker, 'q', 2);
      await settle();
      await consumer.cancel();
      await publishAll(1);
      await settle();
      expect(got.map(text)).toEqual(['0', '1']);
      consumer.ack(got[0]);
      await consumer.close();
      expect(await broker.queueDepth('q')).toBe(3);
    });

    it('makes settling after close a no-op', async () => {
      await publishAll(1);
      const { consumer, got } = await collect(broker, 'q');
      await settle();
      await consumer.close();
      expect(() => consumer.ack(got[0])).not.toThrow();
      expect(await broker.queueDepth('q')).toBe(1);
    });
  });

  describe('dead letters and expiry', () => {
    it('dead-letters a nack without requeue to the queue DLX with x-death', async () => {
      await broker.assert({
        exchanges: [{ name: 'dlx', type: 'direct' }],
        queues: [
          { name: 'q', deadLetterExchange: 'dlx', deadLetterRoutingKey: 'job-1' },
          { name: 'dlq' },
        ],
        bindings: [{ queue: 'dlq', exchange: 'dlx', routingKey: 'job-1' }],
      });
      await broker.publish('', 'q', buf('bad'), { headers: { h: 1 } });
      const { consumer, got } = await collect(broker, 'q');
      await settle();
      consumer.nack(got[0], false);
      const dead = await collect(broker, 'dlq');
      await settle();
      expect(dead.got.map(text)).toEqual(['bad']);
      expect(dead.got[0].headers).toMatchObject({ h: 1, 'x-first-death-reason': 'rejected' });
      expect(dead.got[0].exchange).toBe('dlx');
      expect(await broker.queueDepth('q')).toBe(0);
    });

    it('drops a nacked message when the queue has no DLX', async () => {
      await broker.assert({ queues: [{ name: 'q' }] });
      await broker.publish('', 'q', buf('x'));
      const { consumer, got } = await collect(broker, 'q');
      await settle();
      consumer.nack(got[0], false);
      await consumer.close();
      expect(await broker.queueDepth('q')).toBe(0);
    });

    it('expires messages by per-message expiration and dead-letters them', async () => {
      let now = 1_000;
      const clocked = new InMemoryBroker('clock', { now: () => now });
      await clocked.assert({
        exchanges: [{ name: 'dlx', type: 'fanout' }],
        queues: [{ name: 'q', deadLetterExchange: 'dlx' }, { name: 'dlq' }],
        bindings: [{ queue: 'dlq', exchange: 'dlx', routingKey: '' }],
      });
      await clocked.publish('', 'q', buf('short'), { expiration: 50 });
      await clocked.publish('', 'q', buf('long'), { expiration: 5_000 });
      now += 100;
      const got: Delivery[] = [];
      await clocked.consume('q', (d) => got.push(d), { prefetch: 10 });
      await settle();
      expect(got.map(text)).toEqual(['long']);
      expect(await clocked.queueDepth('dlq')).toBe(1);
      await clocked.close();
    });
  });

  describe('bounded queues', () => {
    it('refuses a publish to a full queue that declared no bound, with 506, enqueueing nowhere', async () => {
      const bounded = new InMemoryBroker('bounded', { queueLimits: { maxLength: 2 } });
      await bounded.assert({
        exchanges: [{ name: 'x', type: 'fanout' }],
        queues: [{ name: 'a' }, { name: 'b', maxLength: 100 }],
        bindings: [
          { queue: 'a', exchange: 'x', routingKey: '' },
          { queue: 'b', exchange: 'x', routingKey: '' },
        ],
      });
      await bounded.publish('x', '', buf('1'));
      await bounded.publish('x', '', buf('2'));
      const refused = await bounded.publish('x', '', buf('3')).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(BrokerError);
      expect(refused).toMatchObject({ replyCode: 506 });
      expect((refused as BrokerError).replyText).toContain("'a'");
      expect(await bounded.queueDepth('a')).toBe(2);
      expect(await bounded.queueDepth('b')).toBe(2);
      await bounded.close();
    });

    it('bounds the bytes a queue holds, not only the count', async () => {
      const bounded = new InMemoryBroker('bytes', { queueLimits: { maxLengthBytes: 10 } });
      await bounded.assert({ queues: [{ name: 'a' }] });
      await bounded.publish('', 'a', Buffer.alloc(6));
      await expect(bounded.publish('', 'a', Buffer.alloc(6))).rejects.toMatchObject({
        replyCode: 506,
      });
      expect(await bounded.queueDepth('a')).toBe(1);
      await bounded.close();
    });

    it('frees room as messages are consumed', async () => {
      const bounded = new InMemoryBroker('room', { queueLimits: { maxLength: 1 } });
      await bounded.assert({ queues: [{ name: 'a' }] });
      await bounded.publish('', 'a', buf('1'));
      const { consumer, got } = await collect(bounded, 'a');
      await settle();
      consumer.ack(got[0]);
      await bounded.publish('', 'a', buf('2'));
      await settle();
      expect(got.map(text)).toEqual(['1', '2']);
      await bounded.close();
    });

    it('drops the head of a queue with x-max-length and dead-letters it as maxlen', async () => {
      await broker.assert({
        exchanges: [{ name: 'overflow', type: 'fanout' }],
        queues: [
          { name: 'dlq', maxLength: 2, overflow: 'drop-head', deadLetterExchange: 'overflow' },
          { name: 'dropped' },
        ],
        bindings: [{ queue: 'dropped', exchange: 'overflow', routingKey: '' }],
      });
      for (const n of ['1', '2', '3', '4']) await broker.publish('', 'dlq', buf(n));
      const kept = await collect(broker, 'dlq');
      const dropped = await collect(broker, 'dropped');
      await settle();
      expect(kept.got.map(text)).toEqual(['3', '4']);
      expect(dropped.got.map(text)).toEqual(['1', '2']);
      expect(dropped.got[0].headers['x-first-death-reason']).toBe('maxlen');
    });

    it('refuses to redeclare a queue with other bounds (406), as RabbitMQ does', async () => {
      await broker.assert({ queues: [{ name: 'dlq', maxLength: 2, overflow: 'drop-head' }] });
      await expect(
        broker.assert({ queues: [{ name: 'dlq', maxLength: 3, overflow: 'drop-head' }] }),
      ).rejects.toMatchObject({ replyCode: 406 });
    });
  });

  describe('exclusive and auto-delete queues', () => {
    it('locks an exclusive queue to its connection and deletes it when that closes', async () => {
      const owner = broker.connect();
      const other = broker.connect();
      await owner.assert({ queues: [{ name: 'ex', exclusive: true, durable: false }] });
      await expect(other.consume('ex', () => undefined, { prefetch: 1 })).rejects.toMatchObject({
        replyCode: 405,
      });
      await owner.close();
      await expect(broker.queueDepth('ex')).rejects.toMatchObject({ replyCode: 404 });
      await other.close();
    });

    it('deletes an auto-delete queue when its last consumer goes', async () => {
      await broker.assert({ queues: [{ name: 'ad', autoDelete: true, durable: false }] });
      const a = await collect(broker, 'ad');
      const b = await collect(broker, 'ad');
      await a.consumer.cancel();
      expect(await broker.queueDepth('ad')).toBe(0);
      await b.consumer.close();
      await expect(broker.queueDepth('ad')).rejects.toMatchObject({ replyCode: 404 });
    });

    it('closing one connection leaves the vhost and other connections working', async () => {
      const a = broker.connect();
      const b = broker.connect();
      await a.assert({ queues: [{ name: 'shared' }] });
      await a.close();
      await b.publish('', 'shared', buf('still here'));
      expect(await b.queueDepth('shared')).toBe(1);
      await expect(a.publish('', 'shared', buf('x'))).rejects.toBeInstanceOf(BrokerError);
      await b.close();
    });
  });

  it('carries 20,000 messages through publish, consume and ack in order exactly once', async () => {
    await broker.assert({
      exchanges: [{ name: 'in', type: 'direct' }],
      queues: [{ name: 'q' }],
      bindings: [{ queue: 'q', exchange: 'in', routingKey: 'k' }],
    });
    const n = 20_000;
    const seen: number[] = [];
    let consumer!: Consumer;
    const done = new Promise<void>((resolve) => {
      void broker
        .consume(
          'q',
          (d) => {
            seen.push(Number(text(d)));
            void Promise.resolve().then(() => consumer.ack(d));
            if (seen.length === n) resolve();
          },
          { prefetch: 256 },
        )
        .then((c) => (consumer = c));
    });
    await Promise.all(
      Array.from({ length: n }, (_, i) => broker.publish('in', 'k', buf(String(i)))),
    );
    await done;
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
    await settle();
    expect(await broker.queueDepth('q')).toBe(0);
  });
});
