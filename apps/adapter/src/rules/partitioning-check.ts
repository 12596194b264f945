import {
  MAX_RULE_PARALLELISM,
  PARTITION_PROPERTIES,
  type FieldError,
  type InstallationObject,
  type TemplateInfo,
} from '@ruleshift/contracts';

const PARALLELISM = 'jobConfig.parallelism';
const PARTITION_KEY = 'jobConfig.connectors.partitionKey';

/**
 * What is wrong with a request's `jobConfig.parallelism` and `connectors.partitionKey`, each
 * naming its field; empty when nothing is. A parallelism above 1 partitions input #0 through
 * RabbitMQ's consistent-hash exchange, so it needs a partition key the broker can read, an
 * input exchange it can bind to, a one-input template and Flink (see docs/decisions.md).
 */
export function partitioningErrors(
  request: InstallationObject,
  template: Pick<TemplateInfo, 'jobType' | 'inputs'>,
): FieldError[] {
  const parallelism: unknown = request.jobConfig.parallelism;
  const connectors = request.jobConfig.connectors;
  const key: unknown = connectors.partitionKey;
  const errors: FieldError[] = [];
  if ((connectors as { inputQueues?: unknown }).inputQueues !== undefined) {
    errors.push({
      field: 'jobConfig.connectors.inputQueues',
      reason: 'is set by the adapter from inputQueue and parallelism; leave it out',
    });
  }
  if (parallelism === undefined) {
    if (key !== undefined)
      errors.push({ field: PARTITION_KEY, reason: 'needs jobConfig.parallelism above 1' });
    return errors;
  }
  if (
    typeof parallelism !== 'number' ||
    !Number.isInteger(parallelism) ||
    parallelism < 1 ||
    parallelism > MAX_RULE_PARALLELISM
  ) {
    errors.push({
      field: PARALLELISM,
      reason: `must be an integer from 1 to ${MAX_RULE_PARALLELISM}`,
    });
    return errors;
  }
  if (parallelism === 1) {
    if (key !== undefined)
      errors.push({ field: PARTITION_KEY, reason: 'needs jobConfig.parallelism above 1' });
    return errors;
  }
  if (request.headers.runtime !== 'flink') {
    errors.push({
      field: PARALLELISM,
      reason:
        'an edge agent runs a rule on one thread: install a parallel rule on flink ' +
        '(moved to an agent later, it consumes every partition there)',
    });
  }
  if (template.inputs !== 1 || connectors.secondInput !== undefined) {
    errors.push({
      field: PARALLELISM,
      reason: `template ${template.jobType} reads two inputs; only one-input rules can be partitioned`,
    });
  }
  if (connectors.inputExchange === '') {
    errors.push({
      field: 'jobConfig.connectors.inputExchange',
      reason:
        'the default exchange cannot feed partitions; name the exchange events are published to',
    });
  }
  errors.push(...partitionKeyErrors(key, connectors.exchangeType ?? 'direct'));
  return errors;
}

function partitionKeyErrors(key: unknown, exchangeType: string): FieldError[] {
  if (key === undefined) {
    return [
      {
        field: PARTITION_KEY,
        reason:
          'is required with parallelism above 1: {"source":"header","name":...}, ' +
          '{"source":"property","name":"message_id"} or {"source":"routingKey"}',
      },
    ];
  }
  if (typeof key !== 'object' || key === null) {
    return [{ field: PARTITION_KEY, reason: 'must be an object with a source' }];
  }
  const { source, name } = key as { source?: unknown; name?: unknown };
  switch (source) {
    case 'routingKey':
      // A direct binding passes one routing key only: every event would hash alike.
      return exchangeType === 'direct'
        ? [
            {
              field: PARTITION_KEY,
              reason:
                'a direct input exchange gives every event the same routing key, so all would go ' +
                'to one partition; use a topic exchange or a header key',
            },
          ]
        : [];
    case 'header':
      return typeof name === 'string' && name.length > 0 && name.length <= 255
        ? []
        : [
            {
              field: `${PARTITION_KEY}.name`,
              reason: 'must be the header name (1-255 characters)',
            },
          ];
    case 'property':
      return (PARTITION_PROPERTIES as readonly unknown[]).includes(name)
        ? []
        : [
            {
              field: `${PARTITION_KEY}.name`,
              reason: `must be one of ${PARTITION_PROPERTIES.join(', ')}`,
            },
          ];
    default:
      return [
        {
          field: `${PARTITION_KEY}.source`,
          reason:
            'must be routingKey, header or property (RabbitMQ hashes nothing else; a JSON ' +
            'field has to be published as a header too)',
        },
      ];
  }
}
