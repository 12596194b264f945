import type { RuleMetrics, RuleSnapshot } from '@ruleshift/contracts';
import type { HostedRule } from '../rule-host';

/** `workerData` of the rule-host worker: serialisable, no live objects. */
export interface RuleHostWorkerData {
  /** Int32Array[0] = index of the rule executing right now, -1 when none. */
  culprit: SharedArrayBuffer;
  dataDir: string;
  /** Whatever the broker lib needs to build its own BrokerRegistry in the worker. */
  brokerConfig: unknown;
  checkpointIntervalMs?: number;
}

export type HostRequest =
  | { type: 'start'; requestId: number; index: number; rule: HostedRule; snapshot?: RuleSnapshot }
  | { type: 'stop'; requestId: number; jobId: string }
  | { type: 'ping'; requestId: number };

export interface PingResult {
  metrics: Record<string, RuleMetrics>;
  /** Used heap / heap limit of the worker's isolate, 0..1. */
  heapUsedRatio: number;
}

export type HostMessage =
  | { type: 'ready' }
  | { type: 'reply'; requestId: number; ok: true; result?: RuleSnapshot | PingResult }
  | { type: 'reply'; requestId: number; ok: false; error: { code: string; message: string } }
  | { type: 'failure'; jobId: string; reason: string };

export const NO_CULPRIT = -1;
