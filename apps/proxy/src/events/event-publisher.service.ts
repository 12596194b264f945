import { Inject, Injectable } from '@nestjs/common';
import { encodeJson, JSON_CONTENT_TYPE, type BrokerConnection } from '@ruleshift/broker';
import { EDGE_BROKER } from '../shared/tokens';
import { toApiError } from './broker-errors';

/**
 * Publishes in flight at once: a batch is published in order, then all its confirms awaited
 * before the next one starts, so a large array holds at most this many publishes in memory.
 */
export const INGEST_BATCH_SIZE = 1_000;

@Injectable()
export class EventPublisher {
  constructor(@Inject(EDGE_BROKER) private readonly broker: BrokerConnection) {}

  /**
   * Publishes every event persistent, in request order, batch after batch, and resolves once
   * the broker confirmed all of them. The first refused event stops the request: the error
   * names it (`body[i]`) and says how many were published before it.
   */
  async publish(exchange: string, routingKey: string, events: unknown[]): Promise<number> {
    for (let start = 0; start < events.length; start += INGEST_BATCH_SIZE) {
      const batch = events.slice(start, start + INGEST_BATCH_SIZE);
      const outcomes = await Promise.allSettled(
        batch.map((event) =>
          this.broker.publish(exchange, routingKey, encodeJson(event), {
            persistent: true,
            contentType: JSON_CONTENT_TYPE,
          }),
        ),
      );
      const failed = outcomes.findIndex((outcome) => outcome.status === 'rejected');
      if (failed >= 0) {
        const reason: unknown = (outcomes[failed] as PromiseRejectedResult).reason;
        throw toApiError(reason, exchange, this.broker.name, {
          index: start + failed,
          total: events.length,
        });
      }
    }
    return events.length;
  }
}
