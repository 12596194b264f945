import { BrokerError, REPLY_CODES } from '@ruleshift/broker';
import {
  Conflict,
  RuntimeUnavailable,
  ValidationFailed,
  type RuleshiftError,
} from '@ruleshift/contracts';

const FIELD = 'jobConfig.connectors';

/**
 * What the caller is told when a broker refused the rule's topology. A refusal is about the
 * request meeting the broker's state (an exchange that exists with another type, a name the
 * broker reserves), so it names the connectors; a lost channel or connection is a 503. The
 * install was rolled back either way, so nothing happens later.
 */
export function brokerRefusalToError(error: BrokerError): RuleshiftError {
  const reason = `the broker refused the rule's topology (${error.replyText})`;
  switch (error.replyCode) {
    case REPLY_CODES.PRECONDITION_FAILED:
    case REPLY_CODES.RESOURCE_LOCKED:
      return new Conflict(FIELD, reason);
    case REPLY_CODES.ACCESS_REFUSED:
    case REPLY_CODES.NOT_FOUND:
      return new ValidationFailed([{ field: FIELD, reason }]);
    default:
      return new RuntimeUnavailable(
        FIELD,
        `the broker could not declare the rule's topology (${error.replyText})`,
      );
  }
}
