import type { BrokerConfig, BrokerRegistry } from '@ruleshift/broker';
import type { AgentRuleState, RuleConfig } from '@ruleshift/contracts';
import type { FetchArtifact } from './bundles/fetch-artifact';
import type { ServeControl } from './control/control-channel';
import type { ProcessStats } from './heartbeat/process-stats';
import type { RuleHost } from './host/rule-host';
import type { WatchdogOptions } from './host/worker/worker-rule-host';
import type { AgentLogger } from './shared/logger';
import type { FileSystemPort } from './store/file-system';

export interface AgentOptions {
  agentId: string;
  /** Resolves rule connector endpoints and the core endpoint. The caller owns (and closes) it. */
  brokers: BrokerRegistry;
  /** Broker carrying the control channel and heartbeats. Default `core`. */
  coreEndpoint?: string;
  /** Rules, checkpoints and the bundle cache live here. */
  dataDir: string;
  heartbeatIntervalMs?: number;
  /** Default: global fetch. */
  fetchArtifact?: FetchArtifact;
  /** Reported in heartbeats. */
  version?: string;
  /**
   * `worker`: rules run in one watched worker thread (needs `brokerConfig`, all brokers AMQP);
   * `inline`: on the agent's thread (in-process broker; no loop protection).
   * Default: `worker` when brokerConfig is given and all its brokers are AMQP, else `inline`.
   */
  ruleHost?: 'inline' | 'worker';
  /** Serialisable broker configuration the worker host rebuilds its own connections from. */
  brokerConfig?: BrokerConfig;
  checkpointIntervalMs?: number;
  watchdog?: WatchdogOptions;
  logger?: AgentLogger;
}

export interface AgentHandle {
  readonly agentId: string;
  /**
   * Graceful: stops the control channel and heartbeats, stops every rule (consumers cancelled,
   * acks settled, final checkpoint written) but keeps their desired status on disk, so the
   * next start resumes them.
   */
  stop(): Promise<void>;
  /** Crash simulation for tests: drops everything without settling or checkpointing. */
  kill(): Promise<void>;
  rules(): AgentRuleState[];
  /** Whether the control channel to the core broker is up (it retries in the background). */
  isConnected(): boolean;
}

/** Side effects of the agent, injectable for tests; startAgent builds the real ones. */
export interface AgentDeps {
  ruleHost: RuleHost;
  declareTopology(config: RuleConfig): Promise<void>;
  serveControl: ServeControl;
  fetchArtifact: FetchArtifact;
  stats: ProcessStats;
  fileSystem: FileSystemPort;
  now?: () => Date;
  controlRetry?: { initialDelayMs: number; maxDelayMs: number };
}
