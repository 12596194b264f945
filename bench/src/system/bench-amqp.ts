/**
 * The benchmark's own side of RabbitMQ (plain amqplib, like a device or a downstream service):
 * declares uniquely named exchanges and queues, preloads queues, records output arrivals, and
 * deletes everything it declared (or was told about) on cleanup.
 */
import * as amqp from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel } from 'amqplib';
import { performance } from 'node:perf_hooks';
import { sleep } from './pacer';

/** Output arrivals in one consumer: performance.now() per message, and a hook per body. */
export class ArrivalRecorder {
  readonly arrivals: number[] = [];

  constructor(private readonly onBody?: (body: Buffer, arrivedAt: number) => void) {}

  record(body: Buffer): void {
    this.arrivals.push(performance.now());
    this.onBody?.(body, Date.now());
  }

  get count(): number {
    return this.arrivals.length;
  }

  /** Resolves when `count` arrivals are in; rejects after `timeoutMs` with what arrived. */
  async waitFor(count: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.count < count) {
      if (Date.now() > deadline) {
        throw new Error(`timed out: ${this.count} of ${count} outputs arrived in ${timeoutMs} ms`);
      }
      await sleep(20);
    }
  }
}

export class BenchAmqp {
  private readonly queues = new Set<string>();
  private readonly exchanges = new Set<string>();

  private constructor(
    private readonly url: string,
    private readonly connection: ChannelModel,
    private readonly publisher: ConfirmChannel,
  ) {}

  static async connect(url: string): Promise<BenchAmqp> {
    const connection = await amqp.connect(url);
    return new BenchAmqp(url, connection, await connection.createConfirmChannel());
  }

  /** Names the adapter declared for a rule, to delete on cleanup. */
  track(names: { queues?: string[]; exchanges?: string[] }): void {
    for (const queue of names.queues ?? []) this.queues.add(queue);
    for (const exchange of names.exchanges ?? []) this.exchanges.add(exchange);
  }

  /** A durable direct exchange -> durable queue binding, emptied. */
  async declareRoute(exchange: string, queue: string, routingKey: string): Promise<void> {
    this.track({ queues: [queue], exchanges: [exchange] });
    await this.publisher.assertExchange(exchange, 'direct', { durable: true });
    await this.publisher.assertQueue(queue, { durable: true });
    await this.publisher.purgeQueue(queue);
    await this.publisher.bindQueue(queue, exchange, routingKey);
  }

  /**
   * Publishes `count` persistent events, waiting for confirms every `window` of them; `headers`
   * gives each its headers (a partition key for a consistent-hash exchange).
   */
  async preload(
    exchange: string,
    routingKey: string,
    count: number,
    body: (seq: number) => Buffer,
    window = 1000,
    headers?: (seq: number) => Record<string, unknown>,
  ): Promise<void> {
    for (let seq = 0; seq < count; seq++) {
      this.publish(exchange, routingKey, body(seq), headers?.(seq));
      if ((seq + 1) % window === 0) await this.publisher.waitForConfirms();
    }
    await this.publisher.waitForConfirms();
  }

  publish(
    exchange: string,
    routingKey: string,
    body: Buffer,
    headers?: Record<string, unknown>,
  ): void {
    this.publisher.publish(exchange, routingKey, body, {
      persistent: true,
      contentType: 'application/json',
      headers,
    });
  }

  /**
   * RabbitMQ's delivery ceiling for a partitioned input: `count` events preloaded through a
   * consistent-hash exchange into `partitions` queues, then drained by one amqplib connection
   * (a channel per queue, prefetch 1,000, an ack per 100 deliveries); events/s of the drain.
   */
  async drainCeiling(
    prefix: string,
    partitions: number,
    count: number,
    body: (seq: number) => Buffer,
    key: (seq: number) => string,
  ): Promise<number> {
    const exchange = `${prefix}.hash`;
    const queues = Array.from({ length: partitions }, (_, p) => `${prefix}.p${p}`);
    this.track({ queues, exchanges: [exchange] });
    await this.publisher.assertExchange(exchange, 'x-consistent-hash', {
      durable: true,
      arguments: { 'hash-header': 'deviceId' },
    });
    for (const queue of queues) {
      await this.publisher.assertQueue(queue, { durable: true });
      await this.publisher.bindQueue(queue, exchange, '1');
    }
    await this.preload(exchange, '', count, body, 1000, (seq) => ({ deviceId: key(seq) }));
    const connection = await amqp.connect(this.url);
    try {
      let drained = 0;
      const started = performance.now();
      let finished = 0;
      await new Promise<void>((resolve, reject) => {
        for (const queue of queues) {
          void connection
            .createChannel()
            .then(async (channel) => {
              await channel.prefetch(1000);
              let unacked = 0;
              await channel.consume(queue, (message) => {
                if (!message) return;
                if (++unacked >= 100) {
                  channel.ack(message, true);
                  unacked = 0;
                }
                if (++drained === count) {
                  finished = performance.now();
                  resolve();
                }
              });
            })
            .catch(reject);
        }
      });
      return (count / (finished - started)) * 1000;
    } finally {
      await connection.close();
    }
  }

  async waitForConfirms(): Promise<void> {
    await this.publisher.waitForConfirms();
  }

  /** On a channel of its own: a missing queue closes the channel it was asked on. */
  async messageCount(queue: string): Promise<number> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      return (await channel.checkQueue(queue)).messageCount;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /**
   * Consumes `queue` (bound to the output exchange) with no acks and no prefetch limit on its
   * own connection, so the consumer is never the bottleneck of what it measures.
   */
  async record(
    exchange: string,
    routingKey: string,
    queue: string,
    onBody?: (body: Buffer, arrivedAt: number) => void,
  ): Promise<{ recorder: ArrivalRecorder; stop: () => Promise<void> }> {
    await this.declareRoute(exchange, queue, routingKey);
    const connection = await amqp.connect(this.url);
    const channel: Channel = await connection.createChannel();
    const recorder = new ArrivalRecorder(onBody);
    await channel.consume(
      queue,
      (message) => {
        if (message) recorder.record(message.content);
      },
      { noAck: true },
    );
    return { recorder, stop: () => connection.close() };
  }

  /** Deletes every queue and exchange declared or tracked; one channel each (errors close it). */
  async cleanup(): Promise<void> {
    const remove = async (action: (channel: Channel) => Promise<unknown>): Promise<void> => {
      const channel = await this.connection.createChannel();
      channel.on('error', () => undefined);
      await action(channel).catch(() => undefined);
      await channel.close().catch(() => undefined);
    };
    for (const queue of this.queues) await remove((c) => c.deleteQueue(queue));
    for (const exchange of this.exchanges) await remove((c) => c.deleteExchange(exchange));
    this.queues.clear();
    this.exchanges.clear();
  }

  async close(): Promise<void> {
    await this.cleanup();
    await this.connection.close();
  }
}
