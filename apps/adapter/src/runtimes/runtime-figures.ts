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

/**
 * Flink serves its REST metrics from a cache it refreshes every `metrics.fetcher.update-interval`
 * (10 s by default), so the monitor (every FLINK_MONITOR_INTERVAL_MS) reads the same counters
 * again in between. Counters unchanged for at most this long keep the time they were first
 * read; unchanged for longer, the rule really stands still.
 */
export const FLINK_COUNTERS_STALE_MS = 25_000;

/** What the cluster monitor last read of a rule's current Flink job, and when. */
export interface FlinkRuleFigures {
  metrics: RuleMetrics;
  /** When these counters were first read (see FLINK_COUNTERS_STALE_MS). */
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

  /**
   * Keeps the first read time of counters Flink has not refreshed since, so a rate is taken
   * over the interval in which they changed instead of 0 between two of Flink's refreshes.
   */
  recordFlinkRule(cluster: string, jobId: string, figures: FlinkRuleFigures): void {
    const key = `${cluster}/${jobId}`;
    const before = this.flinkRules.get(key);
    const unchanged =
      before !== undefined &&
      before.metrics.eventsIn === figures.metrics.eventsIn &&
      before.metrics.eventsOut === figures.metrics.eventsOut &&
      figures.at.getTime() - before.at.getTime() <= FLINK_COUNTERS_STALE_MS;
    this.flinkRules.set(key, unchanged ? { ...figures, at: before.at } : figures);
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
