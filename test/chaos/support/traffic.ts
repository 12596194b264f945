/**
 * The chaos suite's device and downstream service, in plain amqplib: a producer publishing with
 * confirms (each event's id as its message id) and collectors counting a rule's outputs by id.
 * Both outlive a broker restart: they reconnect on their own, and the producer re-sends only
 * what the broker never confirmed (counted in `resent`).
 */
import * as amqp from 'amqplib';
import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { sleep, waitUntil } from '../../integration/support/system';
import type { ChaosEvent } from './events';

export interface Target {
  exchange: string;
  routingKey: string;
}

export class ChaosProducer {
  /** Events whose every publish the broker confirmed. */
  readonly sent: ChaosEvent[] = [];
  resent = 0;
  private channel?: ConfirmChannel;
  private connection?: ChannelModel;
  private closed = false;

  constructor(private readonly url: string) {}

  private async open(): Promise<ConfirmChannel> {
    if (this.channel) return this.channel;
    const connection = await amqp.connect(this.url);
    connection.on('error', () => undefined);
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    const forget = (): void => {
      if (this.channel === channel) this.channel = undefined;
    };
    connection.on('close', forget);
    channel.on('close', forget);
    this.connection = connection;
    this.channel = channel;
    return channel;
  }

  /** Publishes every event to every target and waits for the broker's confirms. */
  async publish(targets: Target[], events: ChaosEvent[]): Promise<void> {
    let pending = targets.flatMap((target) => events.map((event) => ({ target, event })));
    while (pending.length) {
      if (this.closed) throw new Error('producer closed');
      try {
        const channel = await this.open();
        const failed: typeof pending = [];
        await Promise.all(
          pending.map(
            ({ target, event }) =>
              new Promise<void>((resolve) => {
                try {
                  channel.publish(
                    target.exchange,
                    target.routingKey,
                    Buffer.from(JSON.stringify(event)),
                    { persistent: true, contentType: 'application/json', messageId: event.id },
                    (err) => {
                      if (err) failed.push({ target, event });
                      resolve();
                    },
                  );
                } catch {
                  failed.push({ target, event });
                  resolve();
                }
              }),
          ),
        );
        this.resent += failed.length;
        pending = failed;
      } catch {
        await sleep(500);
      }
    }
    this.sent.push(...events);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connection?.close().catch(() => undefined);
  }
}

/**
 * Publishes `count` events in small confirmed batches, paced, so faults land mid-stream.
 * pause() returns once the batch in flight is confirmed; nothing is published until resume().
 */
export class PacedStream {
  readonly done: Promise<void>;
  private paused?: { resume: Promise<void>; release: () => void };
  private idle: Promise<void> = Promise.resolve();

  constructor(
    producer: ChaosProducer,
    targets: Target[],
    events: ChaosEvent[],
    batch = 50,
    everyMs = 100,
  ) {
    this.done = (async () => {
      for (let i = 0; i < events.length; i += batch) {
        if (this.paused) await this.paused.resume;
        const batchDone = producer.publish(targets, events.slice(i, i + batch));
        this.idle = batchDone;
        await batchDone;
        await sleep(everyMs);
      }
    })();
  }

  async pause(): Promise<void> {
    if (!this.paused) {
      let release!: () => void;
      const resume = new Promise<void>((resolve) => (release = resolve));
      this.paused = { resume, release };
    }
    await this.idle;
  }

  resume(): void {
    const paused = this.paused;
    this.paused = undefined;
    paused?.release();
  }
}

export interface Output {
  /** What the output is about: the filtered event's id, or `<device>@<windowStart>`. */
  key: string;
  /** The window's count (1 for a filter output). */
  value: number;
  messageId?: string;
}

/** Consumes a rule's output exchange through a durable queue, across broker restarts. */
export class OutputCollector {
  readonly outputs: Output[] = [];
  /** Deliveries the broker repeated to this collector (its own ack lost): not the rule's doing. */
  redeliveredToCollector = 0;
  private readonly seenMessages = new Set<string>();
  private connection?: ChannelModel;
  private closed = false;

  private constructor(
    private readonly url: string,
    private readonly exchange: string,
    private readonly routingKey: string,
    private readonly queue: string,
    private readonly toOutput: (body: Record<string, unknown>) => Omit<Output, 'messageId'>,
  ) {}

  static async start(
    url: string,
    target: Target,
    queue: string,
    toOutput: (body: Record<string, unknown>) => Omit<Output, 'messageId'>,
  ): Promise<OutputCollector> {
    const collector = new OutputCollector(url, target.exchange, target.routingKey, queue, toOutput);
    await collector.attach(true);
    return collector;
  }

  private async attach(purge = false): Promise<void> {
    const connection = await amqp.connect(this.url);
    connection.on('error', () => undefined);
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    await channel.assertExchange(this.exchange, 'direct', { durable: true });
    await channel.assertQueue(this.queue, { durable: true });
    if (purge) await channel.purgeQueue(this.queue);
    await channel.bindQueue(this.queue, this.exchange, this.routingKey);
    await channel.prefetch(500);
    await channel.consume(this.queue, (message) => {
      if (!message) return;
      this.record(message);
      try {
        channel.ack(message);
      } catch {
        // The channel went away: the broker redelivers, record() recognises it.
      }
    });
    this.connection = connection;
    connection.on('close', () => void this.reattach());
  }

  private async reattach(): Promise<void> {
    while (!this.closed) {
      await sleep(500);
      try {
        await this.attach();
        return;
      } catch {
        // Broker still down.
      }
    }
  }

  private record(message: ConsumeMessage): void {
    const body = JSON.parse(message.content.toString()) as Record<string, unknown>;
    const output = { ...this.toOutput(body), messageId: message.properties.messageId as string };
    const identity = `${output.messageId ?? ''}|${output.key}|${output.value}`;
    if (message.fields.redelivered && this.seenMessages.has(identity)) {
      this.redeliveredToCollector++;
      return;
    }
    this.seenMessages.add(identity);
    this.outputs.push(output);
  }

  has(key: string): boolean {
    return this.outputs.some((o) => o.key === key);
  }

  async waitFor(key: string, timeoutMs = 180_000): Promise<void> {
    await waitUntil(`output ${key} on ${this.exchange}`, async () => this.has(key), timeoutMs, 250);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connection?.close().catch(() => undefined);
  }
}
