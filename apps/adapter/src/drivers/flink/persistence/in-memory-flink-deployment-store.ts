import {
  FlinkDeploymentStore,
  type FlinkDeployment,
  type FlinkJarRecord,
} from './flink-deployment-store';

const jarKey = (cluster: string, version: string, sha256: string): string =>
  JSON.stringify([cluster, version, sha256]);

/** For unit tests and embedded setups without a registry database. */
export class InMemoryFlinkDeploymentStore extends FlinkDeploymentStore {
  private readonly jars = new Map<string, FlinkJarRecord>();
  private readonly deployments = new Map<string, FlinkDeployment>();

  findJar(
    cluster: string,
    templateVersion: string,
    sha256: string,
  ): Promise<FlinkJarRecord | null> {
    const record = this.jars.get(jarKey(cluster, templateVersion, sha256));
    return Promise.resolve(record ? { ...record } : null);
  }

  saveJar(record: FlinkJarRecord): Promise<void> {
    this.jars.set(jarKey(record.cluster, record.templateVersion, record.sha256), { ...record });
    return Promise.resolve();
  }

  findDeployment(jobId: string): Promise<FlinkDeployment | null> {
    const deployment = this.deployments.get(jobId);
    return Promise.resolve(deployment ? { ...deployment } : null);
  }

  saveDeployment(deployment: FlinkDeployment): Promise<void> {
    this.deployments.set(deployment.jobId, { ...deployment });
    return Promise.resolve();
  }

  deleteDeployment(jobId: string): Promise<void> {
    this.deployments.delete(jobId);
    return Promise.resolve();
  }

  listDeployments(cluster: string): Promise<FlinkDeployment[]> {
    return Promise.resolve(
      [...this.deployments.values()].filter((d) => d.cluster === cluster).map((d) => ({ ...d })),
    );
  }
}
