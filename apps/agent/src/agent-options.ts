import type { BrokerConfig, BrokerRegistry } from '@ruleshift/broker';
import type { AgentRuleState, RuleConfig } from '@ruleshift/contracts';
import type { FetchArtifact } from './bundles/fetch-artifact';
import type { ServeControl } from './control/control-channel';
import type { AgentIdentity } from './identity/agent-identity';
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
  /** Rules, checkpoints, the bundle cache and the agent's identity live here. */
  dataDir: string;
  /**
   * AGENT_ADAPTER_URL: the adapter's HTTP base URL. The agent enrols there and downloads
   * artifacts only from there (a command naming another URL is refused).
   */
  adapterUrl: string;
  /** AGENT_ENROLMENT_TOKEN from POST /api/agents; needed until enrolled, or to re-enrol. */
  enrolmentToken?: string;
  /** Artifact download bounds (AGENT_ARTIFACT_TIMEOUT_MS, AGENT_ARTIFACT_MAX_BYTES). */
  artifactLimits?: { timeoutMs?: number; maxBytes?: number };
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
  /**
   * Heap limit of the worker rule host (`resourceLimits.maxOldGenerationSizeMb`): a rule that
   * exhausts it fails alone. Default DEFAULT_WORKER_MAX_HEAP_MB.
   */
  workerMaxHeapMb?: number;
  logger?: AgentLogger;
  /** Runs in a process shared with others (npm start): heartbeats say their load is the process's. */
  sharesProcess?: boolean;
  /**
   * The brokers may have forgotten the rules' queues since the rules last ran (npm start's
   * in-process broker after a crash): each rule's topology is declared again before it runs.
   * Off by default: a RabbitMQ agent must not re-create the queues of a rule uninstalled while it
   * was down.
   */
  redeclareTopologyBeforeRun?: boolean;
}

/** Room for a hundred rules' windows and state; a leaking rule stops here, not the agent. */
export const DEFAULT_WORKER_MAX_HEAP_MB = 512;

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
  /** Control messages ignored since start: bad signature, another agent's, stale or replayed. */
  refusedControlMessages(): number;
}

/** Side effects of the agent, injectable for tests; startAgent builds the real ones. */
export interface AgentDeps {
  /** The enrolled identity (startAgent enrols or loads it): signs replies and heartbeats. */
  identity: AgentIdentity;
  ruleHost: RuleHost;
  declareTopology(config: RuleConfig): Promise<void>;
  serveControl: ServeControl;
  fetchArtifact: FetchArtifact;
  stats: ProcessStats;
  fileSystem: FileSystemPort;
  now?: () => Date;
  controlRetry?: { initialDelayMs: number; maxDelayMs: number };
}
