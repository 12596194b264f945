import type { RuleConfig } from '@ruleshift/contracts';

/** A template jar uploaded to one cluster; reused by every rule of that (version, sha256). */
export interface FlinkJarRecord {
  cluster: string;
  templateVersion: string;
  sha256: string;
  /** Flink's jar id (what /jars/{jarid}/run takes). */
  jarId: string;
  uploadedAt: Date;
}

/**
 * What the Flink driver knows about one rule on one cluster. Credential-free: the broker URIs
 * are rebuilt from server configuration on every start.
 */
export interface FlinkDeployment {
  /** The rule's jobId (the registry's job id). */
  jobId: string;
  cluster: string;
  jobType: string;
  templateVersion: string;
  jarSha256: string;
  jarId: string;
  entryClass: string;
  config: RuleConfig;
  /** The Flink job running the rule now (null when stopped or never started). */
  flinkJobId: string | null;
  /** Where the last stop-with-savepoint left the rule's state (restored on the next start). */
  savepointPath: string | null;
  /**
   * The stop savepoint of a run that ended FINISHED: its sinks' close() saw the broker confirm
   * every output the savepoint still lists as unconfirmed, so a start from exactly this path
   * passes --restored-outputs-confirmed and those outputs are not published again.
   */
  confirmedSavepointPath: string | null;
  updatedAt: Date;
}

/** Persistence of uploaded jars and rule deployments (TypeORM in the adapter, memory in tests). */
export abstract class FlinkDeploymentStore {
  abstract findJar(
    cluster: string,
    templateVersion: string,
    sha256: string,
  ): Promise<FlinkJarRecord | null>;
  /** Insert or replace by (cluster, templateVersion, sha256). */
  abstract saveJar(record: FlinkJarRecord): Promise<void>;
  abstract findDeployment(jobId: string): Promise<FlinkDeployment | null>;
  /** Insert or replace by jobId. */
  abstract saveDeployment(deployment: FlinkDeployment): Promise<void>;
  abstract deleteDeployment(jobId: string): Promise<void>;
  abstract listDeployments(cluster: string): Promise<FlinkDeployment[]>;
}
