import { Inject, Injectable } from '@nestjs/common';
import { encodeJson, JSON_CONTENT_TYPE, type BrokerConnection } from '@ruleshift/broker';
import { EDGE_BROKER } from '../shared/tokens';
import { toApiError } from './broker-errors';

@Injectable()
export class EventPublisher {
  constructor(@Inject(EDGE_BROKER) private readonly broker: BrokerConnection) {}

  /**
   * Publishes every event persistent and waits for all broker confirms. The publishes are
   * issued in order before any is awaited, so the broker sees them in request order.
   */
  async publish(exchange: string, routingKey: string, events: unknown[]): Promise<number> {
    const confirms = events.map((event) =>
      this.broker.publish(exchange, routingKey, encodeJson(event), {
        persistent: true,
        contentType: JSON_CONTENT_TYPE,
      }),
    );
    try {
      await Promise.all(confirms);
    } catch (error) {
      throw toApiError(error, exchange, this.broker.name);
    }
    return events.length;
  }
}
