import { type BrokerConfig, brokerConfigFromEnv } from '@ruleshift/broker';
import { FlinkRestClient } from '@ruleshift/flink-client';
import { FlinkBrokerArgs } from './flink-broker-args';
import type { FlinkCluster } from './flink-cluster';
import { type FlinkClusterConfig, flinkClusterConfigFromEnv } from './flink-cluster-config';

/** What the adapter's host passes to enable the flink runtime (AdapterModuleOptions.flink). */
export interface FlinkRuntimeOptions {
  cluster: FlinkClusterConfig;
  /** The adapter's broker configuration (named endpoints with credentials). */
  brokers: BrokerConfig;
}

/** Undefined when FLINK_REST_URL is unset (the flink runtime stays disabled). */
export function flinkRuntimeOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): FlinkRuntimeOptions | undefined {
  const cluster = flinkClusterConfigFromEnv(env);
  return cluster ? { cluster, brokers: brokerConfigFromEnv(env) } : undefined;
}

/**
 * How often the adapter polls Flink while waiting for a job's subtasks to run, a savepoint to
 * complete or a job to end: install+start and moves wait on it, and GET /jobs/overview every
 * 50 ms is nothing for the JobManager next to the job start it waits for.
 */
export const FLINK_POLL_INTERVAL_MS = 50;

export function createFlinkCluster(options: FlinkRuntimeOptions): FlinkCluster {
  const { cluster, brokers } = options;
  return {
    name: cluster.name,
    client: new FlinkRestClient({
      baseUrl: cluster.restUrl,
      pollIntervalMs: FLINK_POLL_INTERVAL_MS,
    }),
    brokerArgs: new FlinkBrokerArgs(brokers, cluster.brokerOverrides, cluster.tlsFiles),
    startTimeoutMs: cluster.startTimeoutMs,
    savepointTimeoutMs: cluster.savepointTimeoutMs,
    checkpointIntervalMs: cluster.checkpointIntervalMs,
  };
}
