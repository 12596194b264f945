import { ValidationFailed } from '@ruleshift/contracts';

/** One Flink session cluster as the adapter reaches it. */
export interface FlinkClusterConfig {
  /** The cluster's `targetResource` (FLINK_CLUSTER_NAME). */
  name: string;
  /** Flink REST endpoint (FLINK_REST_URL), e.g. http://127.0.0.1:8081. */
  restUrl: string;
  /**
   * Broker name (lower case) -> AMQP URL with credentials as the cluster's TaskManagers reach
   * it (FLINK_BROKER_<NAME>_URL). Wins over the adapter's own EDGE_AMQP_URL/BROKER_<NAME>_URL,
   * because Flink may sit on another network than the adapter.
   */
  brokerOverrides: Record<string, string>;
  /**
   * Paths of the PEM files the cluster's jobs use for every amqps:// broker, as the TaskManagers
   * see them (FLINK_AMQP_TLS_CA_FILE, _CERT_FILE, _KEY_FILE; each defaults to the adapter's own
   * AMQP_TLS_* file, for a cluster on the same host). Only paths reach Flink, never key material.
   */
  tlsFiles: FlinkTlsFiles;
  /** How long start waits for every vertex to be RUNNING (FLINK_JOB_START_TIMEOUT_MS). */
  startTimeoutMs: number;
  /** How long stop waits for the savepoint and the job's end (FLINK_SAVEPOINT_TIMEOUT_MS). */
  savepointTimeoutMs: number;
  /** Health and reconciliation period (FLINK_MONITOR_INTERVAL_MS). */
  monitorIntervalMs: number;
  /**
   * Checkpoint interval of every job the adapter starts on the cluster
   * (FLINK_CHECKPOINT_INTERVAL_MS, default 1000): inputs are acked when a checkpoint completes.
   */
  checkpointIntervalMs: number;
}

/** PEM file paths on the TaskManagers; the key is an unencrypted PKCS#8 file. */
export interface FlinkTlsFiles {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export const DEFAULT_FLINK_CLUSTER_NAME = 'flink';

/** See docs/decisions.md ("Flink checkpoint interval"). */
export const DEFAULT_FLINK_CHECKPOINT_INTERVAL_MS = 1000;

const FLINK_BROKER_VAR = /^FLINK_BROKER_([A-Z0-9_]+)_URL$/;

/** Undefined when FLINK_REST_URL is unset: the flink runtime is then disabled. */
export function flinkClusterConfigFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): FlinkClusterConfig | undefined {
  const restUrl = env.FLINK_REST_URL;
  if (!restUrl) return undefined;
  if (!/^https?:\/\/[^/]+/.test(restUrl)) {
    throw new ValidationFailed([{ field: 'FLINK_REST_URL', reason: 'must be an http(s):// URL' }]);
  }
  const name = env.FLINK_CLUSTER_NAME || DEFAULT_FLINK_CLUSTER_NAME;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
    throw new ValidationFailed([
      { field: 'FLINK_CLUSTER_NAME', reason: 'letters, digits, ".", "_" and "-" only' },
    ]);
  }
  const brokerOverrides: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = FLINK_BROKER_VAR.exec(key);
    if (!match || !value) continue;
    if (!/^amqps?:\/\//.test(value)) {
      throw new ValidationFailed([{ field: key, reason: 'must be an amqp(s):// URL' }]);
    }
    brokerOverrides[match[1].toLowerCase()] = value;
  }
  return {
    name,
    restUrl,
    brokerOverrides,
    tlsFiles: flinkTlsFilesFromEnv(env),
    startTimeoutMs: positiveInt(env, 'FLINK_JOB_START_TIMEOUT_MS', 120_000),
    savepointTimeoutMs: positiveInt(env, 'FLINK_SAVEPOINT_TIMEOUT_MS', 120_000),
    monitorIntervalMs: positiveInt(env, 'FLINK_MONITOR_INTERVAL_MS', 5_000),
    checkpointIntervalMs: positiveInt(
      env,
      'FLINK_CHECKPOINT_INTERVAL_MS',
      DEFAULT_FLINK_CHECKPOINT_INTERVAL_MS,
    ),
  };
}

function flinkTlsFilesFromEnv(env: NodeJS.ProcessEnv): FlinkTlsFiles {
  const file = (what: 'CA' | 'CERT' | 'KEY'): string | undefined =>
    env[`FLINK_AMQP_TLS_${what}_FILE`] || env[`AMQP_TLS_${what}_FILE`] || undefined;
  const files: FlinkTlsFiles = {
    caFile: file('CA'),
    certFile: file('CERT'),
    keyFile: file('KEY'),
  };
  if ((files.certFile === undefined) !== (files.keyFile === undefined)) {
    const field =
      files.certFile === undefined ? 'FLINK_AMQP_TLS_CERT_FILE' : 'FLINK_AMQP_TLS_KEY_FILE';
    throw new ValidationFailed([
      { field, reason: 'the client certificate and key files of Flink jobs go together' },
    ]);
  }
  return files;
}

function positiveInt(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new ValidationFailed([{ field: key, reason: 'must be a positive integer' }]);
  }
  return value;
}
