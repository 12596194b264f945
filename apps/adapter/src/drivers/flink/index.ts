export { FlinkJobDriver } from './flink-job-driver';
export type { FlinkJobDriverOptions, FlinkTemplateSource } from './flink-job-driver';
export { FlinkBrokerArgs } from './flink-broker-args';
export type { FlinkCluster, FlinkClientPort } from './flink-cluster';
export { DEFAULT_FLINK_CLUSTER_NAME, flinkClusterConfigFromEnv } from './flink-cluster-config';
export type { FlinkClusterConfig } from './flink-cluster-config';
export { createFlinkCluster, flinkRuntimeOptionsFromEnv } from './create-flink-clusters';
export type { FlinkRuntimeOptions } from './create-flink-clusters';
export {
  FLINK_CLUSTERS,
  FLINK_RUNTIME_OPTIONS,
  FlinkMonitorLifecycle,
  flinkRuntimeProviders,
} from './flink-providers';
export { FlinkDeploymentStore } from './persistence/flink-deployment-store';
export type { FlinkDeployment, FlinkJarRecord } from './persistence/flink-deployment-store';
export { InMemoryFlinkDeploymentStore } from './persistence/in-memory-flink-deployment-store';
export {
  FLINK_ENTITIES,
  TypeormFlinkDeploymentStore,
} from './persistence/typeorm-flink-deployment-store';
export { FlinkDeployments1767312000000 } from './persistence/1767312000000-flink-deployments';
