import type { BrokerRegistry } from '@ruleshift/broker';
import { EVENTS_EXCHANGE, routingKeyOf, type RuleshiftEvent } from '@ruleshift/contracts';
import { EventPublisher } from './event-publisher';

/**
 * Publishes on the core broker's topic exchange `ruleshift.events`, persistent, with publisher
 * confirms. A refusal rejects: the outbox relay keeps the event and publishes it again later.
 */
export class BrokerEventPublisher extends EventPublisher {
  private declared = false;

  constructor(
    private readonly brokers: BrokerRegistry,
    private readonly endpoint = 'core',
  ) {
    super();
  }

  async publish(event: RuleshiftEvent): Promise<void> {
    const broker = await this.brokers.get(this.endpoint);
    if (!this.declared) {
      await broker.assert({
        exchanges: [{ name: EVENTS_EXCHANGE, type: 'topic', durable: true }],
      });
      this.declared = true;
    }
    await broker.publish(EVENTS_EXCHANGE, routingKeyOf(event), Buffer.from(JSON.stringify(event)), {
      persistent: true,
      messageId: event.eventId,
      contentType: 'application/json',
    });
  }
}
