import { DataSource } from 'typeorm';
import {
  openRegistryDataSource,
  registryDataSourceOptions,
} from '../../../registry/data-source.factory';
import { filterConfig } from '../testing/flink-fixtures';
import { FlinkDeployments1767312000000 } from './1767312000000-flink-deployments';
import { FLINK_ENTITIES, TypeormFlinkDeploymentStore } from './typeorm-flink-deployment-store';

const JOB_A = '00000000-0000-4000-8000-00000000000a';

describe('TypeormFlinkDeploymentStore on the embedded registry', () => {
  let dataSource: DataSource;
  let store: TypeormFlinkDeploymentStore;

  beforeAll(async () => {
    // The registry's options already carry FLINK_ENTITIES and FlinkDeployments1767312000000.
    const options = registryDataSourceOptions({ inMemory: true });
    expect(options.entities).toEqual(expect.arrayContaining([...FLINK_ENTITIES]));
    expect(options.migrations).toContain(FlinkDeployments1767312000000);
    dataSource = await openRegistryDataSource({ inMemory: true });
    store = new TypeormFlinkDeploymentStore(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('keeps jars by (cluster, version, sha256) and replaces a re-uploaded one', async () => {
    const record = {
      cluster: 'flink',
      templateVersion: '1.0.0',
      sha256: 'abc',
      jarId: 'j1',
      uploadedAt: new Date('2026-01-01T00:00:00Z'),
    };
    await store.saveJar(record);
    await store.saveJar({ ...record, jarId: 'j2' });
    expect(await store.findJar('flink', '1.0.0', 'abc')).toMatchObject({ jarId: 'j2' });
    expect(await store.findJar('flink', '1.0.1', 'abc')).toBeNull();
  });

  it('saves, updates, lists and deletes a deployment', async () => {
    const deployment = {
      jobId: JOB_A,
      cluster: 'flink',
      jobType: 'filter',
      templateVersion: '1.0.0',
      jarSha256: 'abc',
      jarId: 'j2',
      entryClass: 'io.ruleshift.flink.FilterJob',
      config: filterConfig(JOB_A),
      flinkJobId: null,
      savepointPath: null,
      confirmedSavepointPath: null,
      updatedAt: new Date('2026-01-01T00:00:00Z'),
    };
    await store.saveDeployment(deployment);
    await store.saveDeployment({
      ...deployment,
      flinkJobId: 'f'.repeat(32),
      savepointPath: 'file:/sp',
      confirmedSavepointPath: 'file:/sp',
    });
    expect(await store.findDeployment(JOB_A)).toMatchObject({
      config: filterConfig(JOB_A),
      flinkJobId: 'f'.repeat(32),
      savepointPath: 'file:/sp',
      confirmedSavepointPath: 'file:/sp',
    });
    expect((await store.listDeployments('flink')).map((d) => d.jobId)).toEqual([JOB_A]);
    await store.deleteDeployment(JOB_A);
    expect(await store.findDeployment(JOB_A)).toBeNull();
  });
});
