import type { DataSource } from 'typeorm';
import { openRegistryDataSource } from '../../registry/data-source.factory';
import { pipelineRepositoryContract } from '../testing/pipeline-repository-contract';
import { InMemoryPipelineRepository } from './in-memory-pipeline.repository';
import { TypeormPipelineRepository } from './pipeline.repository';
import type { PipelineEntity } from './pipeline.entity';

describe('pipeline registry on embedded PGlite (same migration as PostgreSQL)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await openRegistryDataSource({ inMemory: true });
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  pipelineRepositoryContract((owner) => new TypeormPipelineRepository(dataSource, owner));
});

describe('pipeline registry in memory (the fake the use-case tests use)', () => {
  const rows = new Map<string, PipelineEntity>();
  pipelineRepositoryContract((owner) => new InMemoryPipelineRepository(owner, rows));
});
