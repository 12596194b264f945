import { ruleInputs, type Headers } from '@ruleshift/broker';
import { DEAD_LETTER_HEADERS, type RuleConfig } from '@ruleshift/contracts';

export interface ReplayTarget {
  endpoint: string;
  exchange: string;
  routingKey: string;
}

/**
 * Where a dead letter goes back to: the rule input it came from (its source exchange and
 * routing key, as the rule received it), else the rule's input on the broker it waited on,
 * else the rule's first input. The default exchange routes by queue name.
 */
export function replayTargetOf(
  config: RuleConfig,
  endpoint: string,
  headers: Headers,
): ReplayTarget {
  const inputs = ruleInputs(config);
  const source = headers[DEAD_LETTER_HEADERS.sourceExchange];
  const sourceKey = headers[DEAD_LETTER_HEADERS.sourceRoutingKey];
  const fromSource =
    inputs.find((i) => i.endpoint === endpoint && i.exchange === source) ??
    inputs.find((i) => i.exchange === source);
  const input = fromSource ?? inputs.find((i) => i.endpoint === endpoint) ?? inputs[0];
  const routingKey =
    input.exchange === ''
      ? input.queue
      : fromSource && typeof sourceKey === 'string' && sourceKey !== ''
        ? sourceKey
        : input.routingKey;
  return { endpoint: input.endpoint, exchange: input.exchange, routingKey };
}

/** The headers a replayed event keeps: none of the dead-letter ones. */
export function replayHeaders(headers: Headers): Headers {
  const kept: Headers = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('x-ruleshift-') && name !== 'x-death') kept[name] = value;
  }
  return kept;
}
