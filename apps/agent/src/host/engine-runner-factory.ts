import type { BrokerRegistry } from '@ruleshift/broker';
import { createRuleRunner, loadEdgeRuleModule } from '@ruleshift/engine';
import type { CheckpointStorePort } from '../store/file-checkpoint-store';
import { markedModule } from './marked-module';
import type { HostedRule } from './rule-host';
import type { RuleRunner } from '@ruleshift/engine';

export interface EngineRunnerDeps {
  brokers: BrokerRegistry;
  checkpoints: CheckpointStorePort;
  checkpointIntervalMs?: number;
}

/** The real runner: the cached bundle `require`d and driven by the embedded engine. */
export function engineRunnerFactory(deps: EngineRunnerDeps) {
  return async (
    rule: HostedRule,
    hooks: { onFailure(reason: string): void; markExecuting?(): void },
  ): Promise<RuleRunner> => {
    const loaded = loadEdgeRuleModule(rule.bundlePath);
    const module = hooks.markExecuting ? markedModule(loaded, hooks.markExecuting) : loaded;
    return Promise.resolve(
      createRuleRunner(module, rule.config, {
        brokers: deps.brokers,
        checkpoints: deps.checkpoints,
        checkpointIntervalMs: deps.checkpointIntervalMs,
        onFailure: hooks.onFailure,
      }),
    );
  };
}
