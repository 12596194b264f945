import type { DataSource, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { FlinkDeploymentEntity } from './flink-deployment.entity';
import {
  FlinkDeploymentStore,
  type FlinkDeployment,
  type FlinkJarRecord,
} from './flink-deployment-store';
import { FlinkJarEntity } from './flink-jar.entity';

/** TypeORM's deep-partial type cannot follow the jsonb RuleConfig; the value is plain JSON. */
const row = <T>(value: unknown): QueryDeepPartialEntity<T> => value as QueryDeepPartialEntity<T>;

/** Needs FLINK_ENTITIES registered on the DataSource and FlinkDeployments1767312000000 run. */
export class TypeormFlinkDeploymentStore extends FlinkDeploymentStore {
  private readonly jars: Repository<FlinkJarEntity>;
  private readonly deployments: Repository<FlinkDeploymentEntity>;

  constructor(dataSource: DataSource) {
    super();
    this.jars = dataSource.getRepository(FlinkJarEntity);
    this.deployments = dataSource.getRepository(FlinkDeploymentEntity);
  }

  findJar(
    cluster: string,
    templateVersion: string,
    sha256: string,
  ): Promise<FlinkJarRecord | null> {
    return this.jars.findOneBy({ cluster, templateVersion, sha256 });
  }

  async saveJar(record: FlinkJarRecord): Promise<void> {
    await this.jars.upsert(row<FlinkJarEntity>(record), ['cluster', 'templateVersion', 'sha256']);
  }

  findDeployment(jobId: string): Promise<FlinkDeployment | null> {
    return this.deployments.findOneBy({ jobId });
  }

  async saveDeployment(deployment: FlinkDeployment): Promise<void> {
    await this.deployments.upsert(row<FlinkDeploymentEntity>(deployment), ['jobId']);
  }

  async deleteDeployment(jobId: string): Promise<void> {
    await this.deployments.delete({ jobId });
  }

  listDeployments(cluster: string): Promise<FlinkDeployment[]> {
    return this.deployments.findBy({ cluster });
  }
}

export const FLINK_ENTITIES = [FlinkJarEntity, FlinkDeploymentEntity];
