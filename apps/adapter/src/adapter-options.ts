import type { BrokerRegistry } from '@ruleshift/broker';
import type { SigningKey } from '@ruleshift/identity';
import type { Clock } from './shared/clock';
import type { TemplateCatalogPort } from './shared/template-catalog-port';
import type { RuntimeDriver } from './drivers/runtime-driver';
import type { RegistryDatabaseOptions } from './registry/data-source.factory';
import type { FlinkRuntimeOptions } from './drivers/flink';
import type { LeadershipTiming } from './leadership/adapter-leadership';

/** Everything the adapter gets from its host (apps/adapter main, or the standalone process). */
export interface AdapterModuleOptions {
  /** Job registry: `url` for PostgreSQL, else embedded PGlite (`dataDir` or `inMemory`). */
  database: RegistryDatabaseOptions;
  /** Resolves connector endpoints; `core` carries control, heartbeats and health. */
  brokers: BrokerRegistry;
  /** A loaded TemplateCatalog from @ruleshift/templates. */
  templates: TemplateCatalogPort;
  /** Base URL agents download artifacts from and enrol at (ADAPTER_PUBLIC_URL). */
  publicUrl: string;
  /**
   * The adapter's ed25519 key (signs commands and artifacts; agents pin its public half). The
   * hosts load it with loadAdapterSigningKey; without one, a key for this process only.
   */
  signingKey?: SigningKey;
  /** Agents' heartbeat interval (HEARTBEAT_INTERVAL_MS); default 2000. */
  heartbeatIntervalMs?: number;
  /** Default: the system clock. */
  clock?: Clock;
  /** How long the edge driver waits for an agent's reply; default 15000. */
  agentRpcTimeoutMs?: number;
  /** Enables the flink runtime (one session cluster); unset when FLINK_REST_URL is not set. */
  flink?: FlinkRuntimeOptions;
  /** More runtime drivers; one of kind `edge` or `flink` replaces the built-in one. */
  drivers?: RuntimeDriver[];
  /** AdapterApi requests handled at once by AdapterRequestServer (ADAPTER_PREFETCH); default 16. */
  requestPrefetch?: number;
  /** Close `brokers` when the module shuts down (true when the adapter is its own process). */
  ownsBrokers?: boolean;
  /**
   * Serve `GET /metrics` (this process's default metrics and ruleshift's) on the adapter's
   * HTTP port: set by the adapter's own process; `npm start` serves them on the proxy's.
   */
  serveMetrics?: boolean;
  /** Lease TTL and renewal interval of the one-active-adapter lease; default 10 s / 2 s. */
  leadership?: LeadershipTiming;
  /** UNINSTALLED jobs are deleted with their history this long after uninstall; default 7 days. */
  uninstalledRetentionMs?: number;
  /** How often the placement service samples and decides (PLACEMENT_INTERVAL_MS); default 5000. */
  placementIntervalMs?: number;
  /** Bound of new rules' dead-letter queues (DEAD_LETTER_MAX_LENGTH); default 10000. */
  deadLetterMaxLength?: number;
}
