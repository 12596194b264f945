import { partitionQueuesFor } from '@ruleshift/broker';
import type { InstallationObject, RuleConfig } from '@ruleshift/contracts';

/**
 * The rule's connectors and parallelism from a checked request: as asked for a rule read from
 * one queue; for parallelism N > 1, `parallelism` and the connectors with `inputQueues`, the N
 * partition queues of input #0 in partition order (the contract with the Flink jobs' source).
 */
export function partitionedInput(
  request: InstallationObject,
): Pick<RuleConfig, 'parallelism' | 'connectors'> {
  const parallelism = request.jobConfig.parallelism ?? 1;
  const connectors = request.jobConfig.connectors;
  if (parallelism <= 1) return { connectors };
  return {
    parallelism,
    connectors: {
      ...connectors,
      inputQueues: partitionQueuesFor(connectors.inputQueue, parallelism),
    },
  };
}
