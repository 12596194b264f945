/**
 * What a dead letter carries (docs/decisions.md, dead-letter headers): the reason and detail, the
 * rule, and where the event came from; its body is the event's original bytes when it belongs
 * to a delivery, so it can be replayed as is.
 */
import type { Delivery, Headers } from '@ruleshift/broker';
import { DEAD_LETTER_EXCHANGE, DEAD_LETTER_HEADERS } from '@ruleshift/contracts';
import type { DeadLetterEmission } from '../operators/emissions';

export class DeadLetterBuilder {
  /** The exchange dead letters go to; their routing key is the job id. */
  readonly exchange: string;

  constructor(
    readonly jobId: string,
    deadLetterExchange: string | undefined,
  ) {
    this.exchange = deadLetterExchange || DEAD_LETTER_EXCHANGE;
  }

  headers(letter: DeadLetterEmission, delivery: Delivery | undefined, nowMs: number): Headers {
    const headers: Headers = {
      [DEAD_LETTER_HEADERS.reason]: letter.reason,
      [DEAD_LETTER_HEADERS.detail]: letter.detail,
      [DEAD_LETTER_HEADERS.jobId]: this.jobId,
      [DEAD_LETTER_HEADERS.deadLetteredAt]: new Date(nowMs).toISOString(),
    };
    if (delivery) {
      headers[DEAD_LETTER_HEADERS.sourceExchange] = delivery.exchange;
      headers[DEAD_LETTER_HEADERS.sourceRoutingKey] = delivery.routingKey;
    }
    return headers;
  }

  body(letter: DeadLetterEmission, delivery: Delivery | undefined): Buffer {
    return delivery ? delivery.body : Buffer.from(safeStringify(letter.value));
  }
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return 'null';
  }
}
