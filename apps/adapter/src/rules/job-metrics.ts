import type { AgentRuleState, RuleMetrics } from '@ruleshift/contracts';
import type { RuntimeEntity } from '../registry/entities/runtime.entity';

/** Per-rule metrics as the runtime's last heartbeat reported them (details.rules). */
export function metricsFor(
  runtime: RuntimeEntity | null | undefined,
  jobId: string,
): RuleMetrics | undefined {
  const rules = runtime?.details?.rules;
  if (!Array.isArray(rules)) return undefined;
  const rule = (rules as AgentRuleState[]).find((r) => r.jobId === jobId);
  return rule?.metrics;
}
