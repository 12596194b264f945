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

export function createFlinkCluster(options: FlinkRuntimeOptions): FlinkCluster {
  const { cluster, brokers } = options;
  return {
    name: cluster.name,
    client: new FlinkRestClient({ baseUrl: cluster.restUrl }),
    brokerArgs: new FlinkBrokerArgs(brokers, cluster.brokerOverrides),
    startTimeoutMs: cluster.startTimeoutMs,
    savepointTimeoutMs: cluster.savepointTimeoutMs,
  };
}
