import { Injectable } from '@nestjs/common';
import type { AgentHeartbeat, RuleMetrics, RuntimeKind } from '@ruleshift/contracts';

/** What an agent's last heartbeat said about its load and its rules. */
export type AgentFigures = Pick<
  AgentHeartbeat,
  'cpuPercent' | 'rssBytes' | 'heapUsedBytes' | 'sentAt' | 'rules' | 'sharesProcess'
>;

/**
 * The agent's own CPU and memory, or undefined when it shares its process (npm start): the
 * figures are then the whole process's (adapter, proxy, every in-process agent), and a share per
 * agent cannot be measured in one V8 heap, so they are not passed off as the agent's.
 */
export function ownLoadOf(
  figures: AgentFigures | undefined,
): { cpuPercent: number; rssBytes: number } | undefined {
  if (!figures || figures.sharesProcess) return undefined;
  return { cpuPercent: figures.cpuPercent, rssBytes: figures.rssBytes };
}

/** What the cluster monitor last read of a rule's current Flink job, and when. */
export interface FlinkRuleFigures {
  metrics: RuleMetrics;
  at: Date;
  /** 0..1, the job's busiest subtask (readFlinkRuleBackpressure). */
  backpressure?: number;
}

/**
 * The runtimes' latest figures (load, per-rule counters), kept in the active adapter's memory:
 * they change with every heartbeat and are worth nothing once stale, so the registry keeps
 * only what must survive the adapter (health, start, last contact, version). A new active
 * adapter knows them again after one heartbeat interval. Flink rules' figures come from
 * Flink's REST metrics, read by the cluster monitor each round (FLINK_MONITOR_INTERVAL_MS).
 */
@Injectable()
export class RuntimeFigures {
  private readonly agents = new Map<string, AgentFigures>();
  /** `<cluster>/<jobId>` -> the figures of the rule's current Flink job. */
  private readonly flinkRules = new Map<string, FlinkRuleFigures>();

  recordAgent(agentId: string, figures: AgentFigures): void {
    this.agents.set(agentId, figures);
  }

  agent(agentId: string): AgentFigures | undefined {
    return this.agents.get(agentId);
  }

  recordFlinkRule(cluster: string, jobId: string, figures: FlinkRuleFigures): void {
    this.flinkRules.set(`${cluster}/${jobId}`, figures);
  }

  flinkRule(cluster: string, jobId: string): FlinkRuleFigures | undefined {
    return this.flinkRules.get(`${cluster}/${jobId}`);
  }

  /** Drops a rule's Flink figures (its Flink job ended: they describe no run any more). */
  forgetFlinkRule(cluster: string, jobId: string): void {
    this.flinkRules.delete(`${cluster}/${jobId}`);
  }

  /** The job's figures as its current placement last reported them. */
  ruleMetrics(
    runtime: RuntimeKind,
    targetResource: string,
    jobId: string,
  ): RuleMetrics | undefined {
    if (runtime === 'flink') return this.flinkRules.get(`${targetResource}/${jobId}`)?.metrics;
    return this.agents.get(targetResource)?.rules.find((r) => r.jobId === jobId)?.metrics;
  }
}
