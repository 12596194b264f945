import { Logger } from '@nestjs/common';
import type { BrokerRegistry } from '@ruleshift/broker';
import { EVENTS_EXCHANGE, routingKeyOf, type RuleshiftEvent } from '@ruleshift/contracts';
import { EventPublisher } from './event-publisher';

/**
 * Publishes on the core broker's topic exchange `ruleshift.events`, persistent, with publisher
 * confirms, one at a time so a bound queue sees one adapter's events in the order they happened.
 * A broker that refuses loses the event (logged): the operation it reports has already
 * committed and is not undone for it.
 */
export class BrokerEventPublisher extends EventPublisher {
  private readonly logger = new Logger('JobEvents');
  private declared = false;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly brokers: BrokerRegistry,
    private readonly endpoint = 'core',
  ) {
    super();
  }

  publish(event: RuleshiftEvent): Promise<void> {
    this.tail = this.tail.then(() => this.send(event));
    return this.tail;
  }

  private async send(event: RuleshiftEvent): Promise<void> {
    try {
      const broker = await this.brokers.get(this.endpoint);
      if (!this.declared) {
        await broker.assert({
          exchanges: [{ name: EVENTS_EXCHANGE, type: 'topic', durable: true }],
        });
        this.declared = true;
      }
      await broker.publish(
        EVENTS_EXCHANGE,
        routingKeyOf(event),
        Buffer.from(JSON.stringify(event)),
        {
          persistent: true,
          messageId: event.eventId,
          contentType: 'application/json',
        },
      );
    } catch (error) {
      this.logger.error(
        `event ${routingKeyOf(event)} lost: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
