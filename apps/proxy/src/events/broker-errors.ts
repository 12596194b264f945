import { NotFound, RuntimeUnavailable, type RuleshiftError } from '@ruleshift/contracts';
import { BrokerError, REPLY_CODES } from '@ruleshift/broker';

/** A 404 from the broker means the exchange named in the URL does not exist. */
export function toApiError(error: unknown, exchange: string, brokerName: string): RuleshiftError {
  const brokerError = BrokerError.from(error);
  if (brokerError.replyCode === REPLY_CODES.NOT_FOUND) {
    return new NotFound('exchange', `exchange ${exchange} does not exist on broker ${brokerName}`);
  }
  return new RuntimeUnavailable('broker', `broker ${brokerName}: ${brokerError.replyText}`);
}
