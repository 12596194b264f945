import type { FlinkRestClient } from '@ruleshift/flink-client';
import type { FlinkBrokerArgs } from './flink-broker-args';

/** The calls of FlinkRestClient the driver and the monitor use (faked in unit tests). */
export type FlinkClientPort = Pick<
  FlinkRestClient,
  | 'baseUrl'
  | 'overview'
  | 'uploadJar'
  | 'listJars'
  | 'runJar'
  | 'getJob'
  | 'vertexMetrics'
  | 'vertexBackpressure'
  | 'jobProgress'
  | 'checkpoints'
  | 'jobExceptions'
  | 'waitForJobRunning'
  | 'cancelJob'
  | 'stopWithSavepoint'
  | 'waitForJobFinished'
  | 'jobAccumulators'
  | 'jobManagerConfig'
>;

/** One reachable Flink session cluster: its name (targetResource), client and broker view. */
export interface FlinkCluster {
  name: string;
  client: FlinkClientPort;
  brokerArgs: FlinkBrokerArgs;
  startTimeoutMs: number;
  savepointTimeoutMs: number;
  /** Passed to every job as `--checkpoint-interval-ms`. */
  checkpointIntervalMs: number;
}
