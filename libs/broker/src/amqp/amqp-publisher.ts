import type { ConfirmChannel, Options } from 'amqplib';
import { BrokerError } from '../broker-error';
import { Deque } from '../deque';
import { type BrokerLogger, errorText } from './amqp-defaults';

interface PendingPublish {
  exchange: string;
  routingKey: string;
  body: Buffer;
  options: Options.Publish;
  resolve(): void;
  reject(error: Error): void;
}

export interface PublisherHost {
  readonly logger: BrokerLogger;
  readonly name: string;
  /** A fresh confirm channel once the connection is up (waits through reconnects). */
  openConfirmChannel(): Promise<ConfirmChannel>;
  /** The channel died with an error (e.g. 404 on an exchange deleted under us). */
  publishChannelFailed(): void;
}

/**
 * Publishes on one ConfirmChannel with many messages in flight: each promise settles on the
 * broker's ack (resolve) or nack / channel loss (reject). When the socket buffer is full
 * (`publish` returned false) later messages wait for `drain`, in order.
 */
export class AmqpPublisher {
  private channel?: ConfirmChannel;
  private writable = true;
  /** A Deque, not an array: shifting an array of n pending publishes made a batch O(n^2). */
  private readonly waiting = new Deque<PendingPublish>();
  private pumping = false;
  private closedError?: Error;

  constructor(private readonly host: PublisherHost) {}

  publish(
    exchange: string,
    routingKey: string,
    body: Buffer,
    options: Options.Publish,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const pending = { exchange, routingKey, body, options, resolve, reject };
      if (this.closedError) reject(this.closedError);
      else if (this.channel && this.writable && this.waiting.length === 0)
        this.send(this.channel, pending);
      else {
        this.waiting.push(pending);
        this.pump();
      }
    });
  }

  /** The connection is gone: the next publish opens a channel on the next connection. */
  detach(): void {
    this.channel = undefined;
    this.writable = true;
  }

  async close(error: Error): Promise<void> {
    this.closedError = error;
    for (const pending of this.waiting.clear()) pending.reject(error);
    const channel = this.channel;
    this.channel = undefined;
    if (!channel) return;
    await channel.waitForConfirms().catch(() => undefined);
    await channel.close().catch(() => undefined);
  }

  private send(channel: ConfirmChannel, p: PendingPublish): void {
    let accepted: boolean;
    try {
      accepted = channel.publish(p.exchange, p.routingKey, p.body, p.options, (error: unknown) => {
        if (error) p.reject(BrokerError.from(error));
        else p.resolve();
      });
    } catch (error) {
      p.reject(BrokerError.from(error));
      return;
    }
    if (!accepted && this.writable) {
      this.writable = false;
      channel.once('drain', () => {
        if (this.channel !== channel) return;
        this.writable = true;
        this.pump();
      });
    }
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    this.flush()
      .catch((error: unknown) => {
        const failure = BrokerError.from(error);
        for (const pending of this.waiting.clear()) pending.reject(failure);
      })
      .finally(() => {
        this.pumping = false;
        if (this.waiting.length > 0 && this.writable && !this.closedError) this.pump();
      });
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0 && !this.closedError) {
      const channel = this.channel ?? (await this.openChannel());
      if (!this.writable) return; // `drain` pumps again
      while (this.waiting.length > 0 && this.writable && this.channel === channel) {
        this.send(channel, this.waiting.shift()!);
      }
    }
  }

  private async openChannel(): Promise<ConfirmChannel> {
    const channel = await this.host.openConfirmChannel();
    channel.on('error', (error: unknown) => {
      this.host.logger.warn(`${this.host.name}: publish channel: ${errorText(error)}`);
      this.host.publishChannelFailed();
    });
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      this.writable = true;
      if (this.waiting.length > 0) this.pump();
    });
    this.channel = channel;
    this.writable = true;
    return channel;
  }
}
