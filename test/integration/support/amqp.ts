/**
 * Plain amqplib on the test side: producers and collectors that know nothing of ruleshift,
 * so the tests check the data plane as a device or a downstream service would see it.
 */
import * as amqp from 'amqplib';
import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';

export class AmqpTestClient {
  private constructor(
    private readonly connection: ChannelModel,
    readonly channel: ConfirmChannel,
  ) {}

  /** `socketOptions`: for amqps://, the CA, client certificate and key (tls.connect options). */
  static async connect(url: string, socketOptions?: object): Promise<AmqpTestClient> {
    const connection = await amqp.connect(url, socketOptions);
    const channel = await connection.createConfirmChannel();
    return new AmqpTestClient(connection, channel);
  }

  async publishJson(exchange: string, routingKey: string, events: unknown[]): Promise<void> {
    await this.publishRaw(
      exchange,
      routingKey,
      events.map((e) => Buffer.from(JSON.stringify(e))),
    );
  }

  /** Publishes with confirms, in windows so the broker is never flooded. */
  async publishRaw(
    exchange: string,
    routingKey: string,
    bodies: Buffer[],
    window = 500,
  ): Promise<void> {
    for (let i = 0; i < bodies.length; i += window) {
      for (const body of bodies.slice(i, i + window)) {
        this.channel.publish(exchange, routingKey, body, {
          persistent: true,
          contentType: 'application/json',
        });
      }
      await this.channel.waitForConfirms();
    }
  }

  /** Declares a queue bound to `exchange` and collects everything routed to it. */
  async collect(exchange: string, routingKey: string, queue: string): Promise<Collector> {
    await this.channel.assertExchange(exchange, 'direct', { durable: true });
    await this.channel.assertQueue(queue, { durable: true });
    await this.channel.purgeQueue(queue);
    await this.channel.bindQueue(queue, exchange, routingKey);
    return this.consumeInto(queue);
  }

  /**
   * Collects from a queue ruleshift declared (a rule's dead-letter queue): it is not declared
   * again here, since a declaration without its arguments (x-max-length...) is refused.
   */
  async collectExisting(queue: string): Promise<Collector> {
    await this.channel.checkQueue(queue);
    return this.consumeInto(queue);
  }

  /** Whether `queue` exists, checked on a channel of its own (a 404 closes the channel). */
  async queueExists(queue: string): Promise<boolean> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      await channel.checkQueue(queue);
      await channel.close();
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 404) return false;
      throw error;
    }
  }

  /** Whether `exchange` exists, checked on a channel of its own (a 404 closes the channel). */
  async exchangeExists(exchange: string): Promise<boolean> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      await channel.checkExchange(exchange);
      await channel.close();
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 404) return false;
      throw error;
    }
  }

  private async consumeInto(queue: string): Promise<Collector> {
    const collector = new Collector();
    await this.channel.consume(queue, (message) => {
      if (message) {
        collector.add(message);
        this.channel.ack(message);
      }
    });
    return collector;
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

export class Collector {
  readonly messages: ConsumeMessage[] = [];

  add(message: ConsumeMessage): void {
    this.messages.push(message);
  }

  json<T = Record<string, unknown>>(): T[] {
    return this.messages.map((m) => JSON.parse(m.content.toString()) as T);
  }

  get count(): number {
    return this.messages.length;
  }
}
