import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BrokerConnection, Consumer, Delivery } from '@ruleshift/broker';
import { EDGE_BROKER } from '../shared/tokens';
import { toApiError } from './broker-errors';

export interface TailSubscription {
  readonly queue: string;
  close(): Promise<void>;
}

const TAIL_PREFETCH = 64;

/**
 * Lets a client watch an exchange without disturbing its consumers: a private, exclusive,
 * auto-delete queue bound with the routing key receives a copy of each message.
 */
@Injectable()
export class EventTail {
  private readonly logger = new Logger(EventTail.name);

  constructor(@Inject(EDGE_BROKER) private readonly broker: BrokerConnection) {}

  /** Resolves once the queue is bound: messages published after that reach `onMessage`. */
  async open(
    exchange: string,
    routingKey: string,
    onMessage: (body: string) => void,
  ): Promise<TailSubscription> {
    const queue = `ruleshift.tail.${randomUUID()}`;
    try {
      await this.broker.assert({
        queues: [{ name: queue, durable: false, exclusive: true, autoDelete: true }],
      });
      await this.broker.assert({ bindings: [{ queue, exchange, routingKey }] });
    } catch (error) {
      await this.deleteQuietly(queue);
      throw toApiError(error, exchange, this.broker.name);
    }
    let consumer: Consumer | undefined;
    try {
      consumer = await this.broker.consume(
        queue,
        (delivery: Delivery) => {
          onMessage(asJsonText(delivery.body));
          consumer?.ack(delivery);
        },
        { prefetch: TAIL_PREFETCH, exclusive: true },
      );
    } catch (error) {
      await this.deleteQuietly(queue);
      throw toApiError(error, exchange, this.broker.name);
    }
    const opened = consumer;
    return {
      queue,
      close: async () => {
        await opened
          .close()
          .catch((error: unknown) => this.logger.warn(`closing ${queue}: ${String(error)}`));
        await this.deleteQuietly(queue);
      },
    };
  }

  private async deleteQuietly(queue: string): Promise<void> {
    await this.broker.deleteQueue(queue).catch(() => undefined);
  }
}

/** One line of JSON per message (SSE data must not contain raw newlines). */
function asJsonText(body: Buffer): string {
  const text = body.toString('utf8');
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return JSON.stringify(text);
  }
}
