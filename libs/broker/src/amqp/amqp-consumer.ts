import type { Channel, ConsumeMessage } from 'amqplib';
import type { ConsumeOptions, Consumer, Delivery, DeliveryHandler } from '../broker-port';
import { type BrokerLogger, errorText } from './amqp-defaults';

/** What a consumer needs from its connection. */
export interface ConsumerHost {
  readonly logger: BrokerLogger;
  readonly name: string;
  /** A fresh channel once the connection is up (waits through reconnects). */
  openChannel(): Promise<Channel>;
  /** The consumer lost its channel while it still wants messages. */
  reattachLater(consumer: AmqpConsumer): void;
  forget(consumer: AmqpConsumer): void;
}

interface DeliverySource {
  channel: Channel;
  message: ConsumeMessage;
}

/**
 * One consumer on its own channel (its own prefetch). Delivery tags it hands out are its own
 * and keep increasing across channels; settling a delivery of a channel that died is a no-op,
 * since the broker has already requeued it and will redeliver it (at-least-once).
 * `options.onChannelLost` tells the owner at once, so it knows which of its acks never landed
 * and what will come again once the consumer has re-attached (first, flagged redelivered).
 */
export class AmqpConsumer implements Consumer {
  private channel?: Channel;
  private consumerTag?: string;
  private attaching?: Promise<void>;
  private readonly sources = new WeakMap<Delivery, DeliverySource>();
  private nextTag = 1;
  private wanted = true;
  private open = true;
  /** Deliveries that arrive before `consume()` returned are held so handlers can use the consumer. */
  private held: Delivery[] | undefined = [];

  constructor(
    readonly queue: string,
    private readonly handler: DeliveryHandler,
    private readonly options: ConsumeOptions,
    private readonly host: ConsumerHost,
  ) {}

  get wantsMessages(): boolean {
    return this.wanted && this.open;
  }

  /** Subscribes unless already subscribed; concurrent callers share one attempt. */
  ensureAttached(): Promise<void> {
    if (this.channel || !this.wantsMessages) return Promise.resolve();
    this.attaching ??= this.attach().finally(() => (this.attaching = undefined));
    return this.attaching;
  }

  /** Called once `consume()` has returned this consumer to its caller. */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const delivery of held) this.dispatch(delivery);
  }

  ack(delivery: Delivery, allUpTo = false): void {
    const source = this.liveSource(delivery);
    if (!source) return;
    try {
      source.channel.ack(source.message, allUpTo);
    } catch {
      // The channel is closing: its deliveries are requeued by the broker anyway.
    }
  }

  nack(delivery: Delivery, requeue: boolean): void {
    const source = this.liveSource(delivery);
    if (!source) return;
    try {
      source.channel.nack(source.message, false, requeue);
    } catch {
      // As in ack(): a closing channel's deliveries return to the queue.
    }
  }

  async acksLanded(): Promise<boolean> {
    const channel = this.channel;
    if (!channel) return false;
    try {
      // basic.qos is the cheapest synchronous method; the same prefetch changes nothing.
      await channel.prefetch(this.options.prefetch);
      return true;
    } catch {
      return false; // the channel closed before the answer: the acks may be lost
    }
  }

  async cancel(): Promise<void> {
    this.wanted = false;
    const { channel, consumerTag } = this;
    if (channel && consumerTag) {
      await channel.cancel(consumerTag).catch((error: unknown) => {
        // A dead channel delivers nothing more either.
        this.host.logger.warn(`${this.host.name}: cancel on ${this.queue}: ${errorText(error)}`);
      });
    }
  }

  async close(): Promise<void> {
    this.wanted = false;
    this.open = false;
    await this.attaching?.catch(() => undefined);
    const channel = this.channel;
    this.channel = undefined;
    this.host.forget(this);
    // Closing the channel makes the broker requeue every unsettled delivery.
    await channel?.close().catch(() => undefined);
  }

  private async attach(): Promise<void> {
    const channel = await this.host.openChannel();
    if (!this.wantsMessages) {
      await channel.close().catch(() => undefined);
      return;
    }
    channel.on('error', (error: unknown) =>
      this.host.logger.warn(
        `${this.host.name}: consumer channel of ${this.queue}: ${errorText(error)}`,
      ),
    );
    channel.on('close', () => this.onChannelClosed(channel));
    try {
      await channel.prefetch(this.options.prefetch);
      this.channel = channel;
      const reply = await channel.consume(
        this.queue,
        (message) => this.onMessage(channel, message),
        { exclusive: this.options.exclusive ?? false, noAck: false },
      );
      this.consumerTag = reply.consumerTag;
    } catch (error) {
      this.channel = undefined;
      await channel.close().catch(() => undefined);
      throw error;
    }
  }

  private onMessage(channel: Channel, message: ConsumeMessage | null): void {
    if (message === null) {
      // Server-side cancel (queue deleted): there is nothing to come back to.
      this.wanted = false;
      return;
    }
    const { fields, properties } = message;
    const delivery: Delivery = {
      body: message.content,
      exchange: fields.exchange,
      routingKey: fields.routingKey,
      headers: properties.headers ?? {},
      correlationId: properties.correlationId as string | undefined,
      replyTo: properties.replyTo as string | undefined,
      messageId: properties.messageId as string | undefined,
      redelivered: fields.redelivered,
      deliveryTag: this.nextTag++,
    };
    this.sources.set(delivery, { channel, message });
    if (this.held) this.held.push(delivery);
    else this.dispatch(delivery);
  }

  private dispatch(delivery: Delivery): void {
    try {
      this.handler(delivery);
    } catch (error) {
      this.host.logger.warn(
        `${this.host.name}: handler of ${this.queue} threw: ${errorText(error)}`,
      );
    }
  }

  private liveSource(delivery: Delivery): DeliverySource | undefined {
    const source = this.sources.get(delivery);
    if (!source || source.channel !== this.channel) return undefined;
    return source;
  }

  private onChannelClosed(channel: Channel): void {
    if (channel !== this.channel) return;
    this.channel = undefined;
    this.consumerTag = undefined;
    if (!this.wantsMessages) return;
    this.notifyChannelLost();
    this.host.reattachLater(this);
  }

  private notifyChannelLost(): void {
    try {
      this.options.onChannelLost?.();
    } catch (error) {
      this.host.logger.warn(
        `${this.host.name}: channel-lost handler of ${this.queue} threw: ${errorText(error)}`,
      );
    }
  }
}
