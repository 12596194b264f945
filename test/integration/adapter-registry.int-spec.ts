import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import {
  FixedOperationOwner,
  TypeormEventOutbox,
  TypeormJobRepository,
  TypeormMoveOperationRepository,
  TypeormPipelineRepository,
  TypeormRegistryLease,
  openRegistryDataSource,
} from '@ruleshift/adapter';
import {
  TypeormAgentRepository,
  agentRepositoryContractCases,
  eventOutboxContractCases,
  registryContractCases,
} from '@ruleshift/adapter/testing';

/**
 * The adapter's registry migration and its compare-and-set on the real PostgreSQL, in a
 * database created for this run and dropped after it.
 */
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const database = `ruleshift_it_${randomBytes(6).toString('hex')}`;
const urlFor = (db: string): string => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${db}`;
  return url.toString();
};

describe('adapter registry on PostgreSQL', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    // Two adapters booting together on a fresh database: both migrate, one after the other.
    const [first, second] = await Promise.all([
      openRegistryDataSource({ url: urlFor(database) }),
      openRegistryDataSource({ url: urlFor(database) }),
    ]);
    dataSource = first;
    await second.destroy();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  it('ran the hand-written migrations (jsonb and timestamptz columns)', async () => {
    const columns: { table_name: string; column_name: string; data_type: string }[] =
      await dataSource.query(
        `SELECT table_name, column_name, data_type FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name IN ('job', 'move_operation', 'runtime')`,
      );
    const typeOf = (table: string, column: string) =>
      columns.find((c) => c.table_name === table && c.column_name === column)?.data_type;
    expect(typeOf('job', 'config')).toBe('jsonb');
    expect(typeOf('job', 'created_at')).toBe('timestamp with time zone');
    expect(typeOf('move_operation', 'snapshot')).toBe('jsonb');
    expect(typeOf('runtime', 'details')).toBe('jsonb');
    const migrations: { name: string }[] = await dataSource.query('SELECT name FROM migrations');
    // The registry's own migrations and the Flink driver's tables, in order.
    expect(migrations.map((m) => m.name)).toEqual([
      'InitialRegistry1767225600000',
      'FlinkDeployments1767312000000',
      'AdapterLeadership1767398400000',
      'ApiAccess1767400000000',
      'AgentEnrolment1767500000000',
      'Pipelines1767600000000',
      'Placement1767700000000',
      'EventOutbox1767800000000',
      'PlacementSamples1768200000000',
      'FlinkConfirmedSavepoint1768290000000',
    ]);
  });

  it('lets exactly one of many concurrent operations take a job', async () => {
    const id = '6f1c1d1e-0000-4000-8000-0000000000ff';
    await dataSource.query(
      `INSERT INTO job (id, job_type, template_version, runtime, target_resource, status, config,
         config_file_name, version) VALUES ($1, 'filter', '1.0.0', 'edge', 'gw-1', 'INSTALLED',
         '{}'::jsonb, $2, 0)`,
      [id, `${id}.json`],
    );
    // Separate pooled connections race for real here, unlike on single-connection PGlite.
    const owner = new FixedOperationOwner('int-spec-adapter');
    const lease = new TypeormRegistryLease(dataSource);
    await dataSource.query('DELETE FROM adapter_lease');
    expect(await lease.acquire(owner.current(), 60_000)).toBe(true);
    const jobs = new TypeormJobRepository(dataSource, owner, lease);
    const operations = ['start', 'stop', 'uninstall', 'move', 'start', 'move'] as const;
    const results = await Promise.all(operations.map((op) => jobs.claim(id, op, 0)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = operations[results.indexOf(true)];
    const [row] = await dataSource.query('SELECT operation, version FROM job WHERE id = $1', [id]);
    expect(row).toEqual({ operation: winner, version: 1 });
    await jobs.release(id, winner, { status: 'RUNNING' });
    const [released] = await dataSource.query('SELECT operation, status FROM job WHERE id = $1', [
      id,
    ]);
    expect(released).toEqual({ operation: null, status: 'RUNNING' });
  });

  describe('the registry contract (same cases as PGlite and the in-memory fakes)', () => {
    registryContractCases(() => {
      const lease = new TypeormRegistryLease(dataSource);
      return {
        lease,
        jobsFor: (o) => new TypeormJobRepository(dataSource, o, lease),
        movesFor: (o) => new TypeormMoveOperationRepository(dataSource, o, lease),
        clearLease: async () => {
          await dataSource.query('DELETE FROM adapter_lease');
        },
      };
    });
  });

  describe('the event outbox contract (same cases as PGlite and the in-memory fakes)', () => {
    eventOutboxContractCases(() => {
      const lease = new TypeormRegistryLease(dataSource);
      return {
        outbox: new TypeormEventOutbox(dataSource),
        lease,
        jobsFor: (o) => new TypeormJobRepository(dataSource, o, lease),
        pipelinesFor: (o) => new TypeormPipelineRepository(dataSource, o),
        reset: async () => {
          await dataSource.query('DELETE FROM event_outbox');
          await dataSource.query('DELETE FROM adapter_lease');
        },
      };
    });
  });

  describe('the agent registry contract (same cases as PGlite and the in-memory fake)', () => {
    agentRepositoryContractCases(async () => {
      await dataSource.query('DELETE FROM agent');
      return new TypeormAgentRepository(dataSource);
    });
  });
});
