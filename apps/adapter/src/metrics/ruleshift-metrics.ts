import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

const RULE_LABELS = ['job_id', 'job_type', 'runtime', 'target'] as const;
export type RuleLabels = Record<(typeof RULE_LABELS)[number], string>;

/**
 * ruleshift's own Prometheus metrics (prom-client), without the process's default ones: the
 * host process adds those, so `npm start` (proxy and adapter in one process) reports them once.
 * Rule and agent figures are set at each scrape from what the runtimes last reported (agents'
 * heartbeats; for Flink rules, Flink's REST metrics read by the cluster monitor); operation
 * durations are observed as operations end. A rule's counters count its current run on its
 * current placement, which the labels name: a move starts new series (runtime/target), and a
 * placement the rule comes back to starts again from zero, which Prometheus reads as a counter
 * reset (rate() and increase() stay right).
 */
@Injectable()
export class RuleshiftMetrics {
  readonly registry = new Registry();

  readonly eventsIn = new Counter({
    name: 'ruleshift_rule_events_in_total',
    help: 'Events the rule consumed from its input(s) in its current run',
    labelNames: RULE_LABELS,
    registers: [this.registry],
  });
  readonly eventsOut = new Counter({
    name: 'ruleshift_rule_events_out_total',
    help: 'Events the rule published to its output in its current run',
    labelNames: RULE_LABELS,
    registers: [this.registry],
  });
  readonly deadLetters = new Counter({
    name: 'ruleshift_rule_dead_letters_total',
    help: 'Events the rule dead-lettered in its current run, by reason',
    labelNames: [...RULE_LABELS, 'reason'],
    registers: [this.registry],
  });
  readonly inputBacklog = new Gauge({
    name: 'ruleshift_rule_input_backlog',
    help: "Messages ready in the rule's input queue(s)",
    labelNames: RULE_LABELS,
    registers: [this.registry],
  });
  readonly stateKeys = new Gauge({
    name: 'ruleshift_rule_state_keys',
    help: 'Keys the rule holds state for (window rules)',
    labelNames: RULE_LABELS,
    registers: [this.registry],
  });
  readonly watermarkLag = new Gauge({
    name: 'ruleshift_rule_watermark_lag_seconds',
    help: "How far the rule's event-time watermark is behind the adapter's clock",
    labelNames: RULE_LABELS,
    registers: [this.registry],
  });
  readonly agentUp = new Gauge({
    name: 'ruleshift_agent_up',
    help: '1 while the agent sends heartbeats, 0 once it is UNREACHABLE',
    labelNames: ['agent'],
    registers: [this.registry],
  });
  readonly agentCpu = new Gauge({
    name: 'ruleshift_agent_cpu_ratio',
    help: "The agent process's CPU use over its last heartbeat interval (1 = one core)",
    labelNames: ['agent'],
    registers: [this.registry],
  });
  readonly agentMemory = new Gauge({
    name: 'ruleshift_agent_memory_bytes',
    help: "The agent process's resident memory",
    labelNames: ['agent'],
    registers: [this.registry],
  });
  readonly agentSharesProcess = new Gauge({
    name: 'ruleshift_agent_shares_process',
    help:
      'Whether the agent runs in a process shared with the adapter and other agents (npm start): ' +
      "then it has no cpu_ratio or memory_bytes series of its own; the process's are " +
      'process_cpu_seconds_total and process_resident_memory_bytes',
    labelNames: ['agent'],
    registers: [this.registry],
  });
  readonly outboxPending = new Gauge({
    name: 'ruleshift_event_outbox_pending',
    help: 'Job and pipeline events written to the registry and not yet published to the broker',
    registers: [this.registry],
  });
  readonly outboxOldestAge = new Gauge({
    name: 'ruleshift_event_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest unpublished event (0 when none is pending)',
    registers: [this.registry],
  });
  readonly outboxHeadAttempts = new Gauge({
    name: 'ruleshift_event_outbox_head_failed_attempts',
    help: 'Failed publish attempts of the oldest unpublished event, which holds back the rest',
    registers: [this.registry],
  });
  readonly operationDuration = new Histogram({
    name: 'ruleshift_operation_duration_seconds',
    help: 'How long rule operations took in the adapter, by operation and result',
    labelNames: ['operation', 'result'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  /** Forgets every rule and agent series before a scrape sets the current ones. */
  resetFigures(): void {
    for (const metric of [
      this.eventsIn,
      this.eventsOut,
      this.deadLetters,
      this.inputBacklog,
      this.stateKeys,
      this.watermarkLag,
      this.agentUp,
      this.agentCpu,
      this.agentMemory,
      this.agentSharesProcess,
    ]) {
      metric.reset();
    }
  }
}
