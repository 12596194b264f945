import { NotFound, RuntimeUnavailable, type RuleshiftError } from '@ruleshift/contracts';
import { BrokerError, REPLY_CODES } from '@ruleshift/broker';

/** Which event of the request the broker refused. */
export interface RefusedEvent {
  index: number;
  total: number;
}

/**
 * A 404 from the broker means the exchange named in the URL does not exist. Anything else
 * (a full queue refusing the publish, a nack, a lost connection) is 503: retry later, from the
 * refused event on (`body[i]`: the events before it were published, in order).
 */
export function toApiError(
  error: unknown,
  exchange: string,
  brokerName: string,
  refused?: RefusedEvent,
): RuleshiftError {
  const brokerError = BrokerError.from(error);
  if (brokerError.replyCode === REPLY_CODES.NOT_FOUND) {
    return new NotFound('exchange', `exchange ${exchange} does not exist on broker ${brokerName}`);
  }
  const why =
    brokerError.replyCode === REPLY_CODES.RESOURCE_ERROR
      ? `broker ${brokerName} is full: ${brokerError.replyText}`
      : `broker ${brokerName}: ${brokerError.replyText}`;
  if (!refused) return new RuntimeUnavailable('broker', why);
  return new RuntimeUnavailable(
    `body[${refused.index}]`,
    `${why}; the ${refused.index} event(s) before it (of ${refused.total}) were published, ` +
      'retry from this one',
  );
}
