import { Injectable } from '@nestjs/common';
import type { AgentHeartbeat, RuleMetrics, RuntimeKind } from '@ruleshift/contracts';

/** What an agent's last heartbeat said about its load and its rules. */
export type AgentFigures = Pick<
  AgentHeartbeat,
  'cpuPercent' | 'rssBytes' | 'heapUsedBytes' | 'sentAt' | 'rules'
>;

/**
 * The runtimes' latest figures (load, per-rule counters), kept in the active adapter's memory:
 * they change with every heartbeat and are worth nothing once stale, so the registry keeps
 * only what must survive the adapter (health, start, last contact, version). A new active
 * adapter knows them again after one heartbeat interval. Flink jobs' figures are not
 * collected yet.
 */
@Injectable()
export class RuntimeFigures {
  private readonly agents = new Map<string, AgentFigures>();

  recordAgent(agentId: string, figures: AgentFigures): void {
    this.agents.set(agentId, figures);
  }

  agent(agentId: string): AgentFigures | undefined {
    return this.agents.get(agentId);
  }

  /** The job's figures as its current placement reported them (agents only, for now). */
  ruleMetrics(
    runtime: RuntimeKind,
    targetResource: string,
    jobId: string,
  ): RuleMetrics | undefined {
    if (runtime !== 'edge') return undefined;
    return this.agents.get(targetResource)?.rules.find((r) => r.jobId === jobId)?.metrics;
  }
}
