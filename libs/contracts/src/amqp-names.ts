import type { FieldError } from './errors';
import type { Connectors } from './job';

/**
 * AMQP 0-9-1 names (exchange, queue, routing key) are "short strings": at most 255 bytes once
 * encoded as UTF-8. amqplib throws while encoding a longer one, after it has already marked
 * the channel as waiting for a reply, so every later operation on that channel waits forever.
 */
export const AMQP_NAME_MAX_BYTES = 255;

export type AmqpNameKind = 'exchange' | 'queue' | 'routingKey';

/** RabbitMQ's predeclared exchanges: a rule may use them, never declare them. */
export const PREDECLARED_EXCHANGES: readonly string[] = [
  'amq.direct',
  'amq.fanout',
  'amq.topic',
  'amq.headers',
  'amq.match',
];

const RESERVED_PREFIX = 'amq.';
// C0 controls and DEL: allowed by AMQP, but they make names unreadable in logs and
// management tools, and NUL ends the string in RabbitMQ's C-based plugins.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why `value` cannot be an AMQP name of this kind, or null when it can. The one rule every
 * component applies (proxy DTOs, adapter install, event ingest): a string of at most 255 bytes
 * of UTF-8, with no control character and no lone surrogate (it has no UTF-8 encoding); an
 * exchange or queue the rule would declare cannot start with `amq.` (RabbitMQ reserves it),
 * except the predeclared exchanges, which are used as they are.
 */
export function amqpNameProblem(value: unknown, kind: AmqpNameKind): string | null {
  if (typeof value !== 'string') return 'must be a string';
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > AMQP_NAME_MAX_BYTES) {
    return `must be at most ${AMQP_NAME_MAX_BYTES} bytes of UTF-8 (has ${bytes})`;
  }
  if (CONTROL_CHARACTER.test(value)) return 'must not contain control characters (NUL included)';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it has a lone surrogate)';
  if (kind === 'exchange' && value.startsWith(RESERVED_PREFIX)) {
    if (!PREDECLARED_EXCHANGES.includes(value)) {
      return `must not start with '${RESERVED_PREFIX}' (reserved by RabbitMQ) unless it is one of ${PREDECLARED_EXCHANGES.join(', ')}`;
    }
  }
  if (kind === 'queue' && value.startsWith(RESERVED_PREFIX)) {
    return `must not start with '${RESERVED_PREFIX}' (reserved by RabbitMQ)`;
  }
  return null;
}

/** Every broker name in a rule's connectors that breaks the AMQP rules, as field errors. */
export function connectorNameErrors(
  connectors: Connectors,
  prefix = 'jobConfig.connectors',
): FieldError[] {
  const checks: Array<[string, unknown, AmqpNameKind]> = [
    ['inputExchange', connectors.inputExchange, 'exchange'],
    ['inputQueue', connectors.inputQueue, 'queue'],
    ['inputRoutingKey', connectors.inputRoutingKey, 'routingKey'],
    ['outputExchange', connectors.outputExchange, 'exchange'],
    ['outputRoutingKey', connectors.outputRoutingKey, 'routingKey'],
  ];
  const second = connectors.secondInput;
  if (second) {
    checks.push(
      ['secondInput.exchange', second.exchange, 'exchange'],
      ['secondInput.queue', second.queue, 'queue'],
      ['secondInput.routingKey', second.routingKey, 'routingKey'],
    );
  }
  const errors: FieldError[] = [];
  for (const [field, value, kind] of checks) {
    const problem = amqpNameProblem(value, kind);
    if (problem) errors.push({ field: `${prefix}.${field}`, reason: problem });
  }
  return errors;
}
