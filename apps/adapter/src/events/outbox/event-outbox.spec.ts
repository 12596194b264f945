import type { DataSource } from 'typeorm';
import { InMemoryPipelineRepository } from '../../pipelines/persistence/in-memory-pipeline.repository';
import { TypeormPipelineRepository } from '../../pipelines/persistence/pipeline.repository';
import { openRegistryDataSource } from '../../registry/data-source.factory';
import { TypeormJobRepository } from '../../registry/job.repository';
import { TypeormRegistryLease } from '../../registry/registry-lease';
import {
  InMemoryJobRepository,
  InMemoryRegistryLease,
} from '../../registry/testing/in-memory-registry';
import { TypeormEventOutbox } from './event-outbox.repository';
import { InMemoryEventOutbox } from './in-memory-event-outbox';
import { eventOutboxContractCases } from './testing/event-outbox-contract';

describe('event outbox on embedded PGlite (same migration as PostgreSQL)', () => {
  let dataSource: DataSource;
  let lease: TypeormRegistryLease;
  let outbox: TypeormEventOutbox;

  beforeAll(async () => {
    dataSource = await openRegistryDataSource({ inMemory: true });
    lease = new TypeormRegistryLease(dataSource);
    outbox = new TypeormEventOutbox(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  eventOutboxContractCases(() => ({
    outbox,
    lease,
    jobsFor: (owner) => new TypeormJobRepository(dataSource, owner, lease),
    pipelinesFor: (owner) => new TypeormPipelineRepository(dataSource, owner),
    reset: async () => {
      await dataSource.query('DELETE FROM event_outbox');
      await dataSource.query('DELETE FROM adapter_lease');
    },
  }));
});

describe('event outbox in memory (the fake the use-case tests use)', () => {
  let outbox = new InMemoryEventOutbox();
  const lease = new InMemoryRegistryLease();
  const jobRows = new Map();
  const pipelineRows = new Map();

  eventOutboxContractCases(() => ({
    outbox,
    lease,
    jobsFor: (owner) => new InMemoryJobRepository(owner, lease, jobRows, [], outbox),
    pipelinesFor: (owner) => new InMemoryPipelineRepository(owner, pipelineRows, outbox),
    reset: async () => {
      outbox = new InMemoryEventOutbox();
      await lease.clear();
    },
  }));
});
