import { DataSource } from 'typeorm';
import { registryDataSourceOptions } from './data-source.factory';
import { TypeormJobRepository } from './job.repository';
import { TypeormMoveOperationRepository } from './move-operation.repository';
import { TypeormRuntimeRepository } from './runtime.repository';
import { jobFixture } from './testing/job-fixtures';

const JOB_ID = '6f1c1d1e-0000-4000-8000-000000000001';

describe('job registry on embedded PGlite (same migration as PostgreSQL)', () => {
  let dataSource: DataSource;
  let jobs: TypeormJobRepository;

  beforeAll(async () => {
    dataSource = await new DataSource(registryDataSourceOptions({ inMemory: true })).initialize();
    jobs = new TypeormJobRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
  });

  it('runs the migration: every registry table exists', async () => {
    const rows: { table_name: string }[] = await dataSource.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'job',
        'job_status_history',
        'move_operation',
        'runtime',
        'template',
      ]),
    );
  });

  it('stores the RuleConfig as jsonb and reads it back', async () => {
    await jobs.insert(jobFixture(JOB_ID));
    const job = await jobs.findById(JOB_ID);
    expect(job?.config.connectors.inputQueue).toBe('filter-in');
    expect(job?.config.jobProps).toEqual(expect.objectContaining({ threshold: 30 }));
    const [{ type }] = await dataSource.query(
      `SELECT jsonb_typeof(config -> 'jobProps') AS type FROM job WHERE id = $1`,
      [JOB_ID],
    );
    expect(type).toBe('object');
  });

  it('lets exactly one of two concurrent operations take a job', async () => {
    const job = (await jobs.findById(JOB_ID))!;
    const results = await Promise.all([
      jobs.claim(job.id, 'start', job.version),
      jobs.claim(job.id, 'uninstall', job.version),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const held = (await jobs.findById(JOB_ID))!;
    expect(held.operation).toBe(results[0] ? 'start' : 'uninstall');
    expect(held.version).toBe(job.version + 1);

    // A holder that is not the owner cannot release or update it.
    const loser = results[0] ? 'uninstall' : 'start';
    expect(await jobs.updateHeld(JOB_ID, loser, { status: 'RUNNING' })).toBe(false);
    await jobs.release(JOB_ID, held.operation!, { status: 'RUNNING' });
    const released = (await jobs.findById(JOB_ID))!;
    expect(released).toMatchObject({ operation: null, status: 'RUNNING' });
    // A stale version loses even when nobody holds the job.
    expect(await jobs.claim(JOB_ID, 'stop', job.version)).toBe(false);
    expect(await jobs.claim(JOB_ID, 'stop', released.version)).toBe(true);
    await jobs.release(JOB_ID, 'stop');
  });

  it('keeps the status history in order', async () => {
    const at = new Date('2026-01-01T00:00:01.000Z');
    for (const status of ['INSTALLED', 'RUNNING', 'STOPPED'] as const) {
      await jobs.appendHistory({
        jobId: JOB_ID,
        status,
        runtime: 'edge',
        targetResource: 'gw-1',
        reason: null,
        at,
      });
    }
    expect((await jobs.history(JOB_ID)).map((h) => h.status)).toEqual([
      'INSTALLED',
      'RUNNING',
      'STOPPED',
    ]);
  });

  it('allows one unfinished move per job', async () => {
    const moves = new TypeormMoveOperationRepository(dataSource);
    const move = {
      id: '6f1c1d1e-0000-4000-8000-0000000000a1',
      jobId: JOB_ID,
      fromRuntime: 'edge' as const,
      fromResource: 'gw-1',
      toRuntime: 'edge' as const,
      toResource: 'gw-2',
      wasRunning: true,
      carryState: false,
      step: 'STOPPING' as const,
      snapshot: null,
      state: 'IN_PROGRESS' as const,
      error: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    await moves.insert(move);
    await expect(
      moves.insert({ ...move, id: '6f1c1d1e-0000-4000-8000-0000000000a2' }),
    ).rejects.toThrow();
    await moves.update(move.id, { state: 'DONE', step: 'STARTING' });
    expect(await moves.findInProgressForJob(JOB_ID)).toBeNull();
    expect((await moves.findById(move.id))?.wasRunning).toBe(true);
  });

  it('finds the other live readers of an input queue (either input, same endpoint)', async () => {
    const id = (n: number) => `6f1c1d1e-0000-4000-8000-00000000010${n}`;
    const second = { endpoint: 'edge', exchange: 'x', queue: 'shared-q', routingKey: 'k' };
    const base = jobFixture(id(1));
    const withInputs = (n: number, connectors: object, overrides: object = {}) =>
      jobFixture(id(n), {
        config: {
          ...base.config,
          jobId: id(n),
          connectors: { ...base.config.connectors, ...connectors },
        },
        ...overrides,
      });
    await jobs.insert(withInputs(1, { inputQueue: 'shared-q' }));
    await jobs.insert(withInputs(2, { secondInput: second }, { status: 'RUNNING' }));
    await jobs.insert(withInputs(3, { inputQueue: 'shared-q', inputEndpoint: 'core' }));
    await jobs.insert(withInputs(4, { inputQueue: 'shared-q' }, { status: 'UNINSTALLED' }));
    await jobs.insert(
      withInputs(5, { inputQueue: 'shared-q' }, { status: 'UNINSTALLED', operation: 'install' }),
    );
    expect((await jobs.findQueueReaders('edge', 'shared-q', id(1))).sort()).toEqual([id(2), id(5)]);
    expect(await jobs.findQueueReaders('edge', 'other-q', id(1))).toEqual([]);
  });

  it('upserts runtimes and marks silent ones unreachable', async () => {
    const runtimes = new TypeormRuntimeRepository(dataSource);
    const seen = new Date('2026-01-01T00:00:00.000Z');
    await runtimes.upsert({
      kind: 'edge',
      targetResource: 'gw-1',
      health: 'UP',
      startedAt: seen,
      lastSeenAt: seen,
      details: { cpuPercent: 3 },
    });
    await runtimes.upsert({
      kind: 'edge',
      targetResource: 'gw-1',
      health: 'UP',
      startedAt: seen,
      lastSeenAt: seen,
      details: { cpuPercent: 5 },
    });
    expect(await runtimes.list()).toHaveLength(1);
    expect(await runtimes.markUnreachableSeenBefore('edge', new Date(seen.getTime() + 1))).toEqual([
      'gw-1',
    ]);
    expect(await runtimes.find('edge', 'gw-1')).toMatchObject({
      health: 'UNREACHABLE',
      details: { cpuPercent: 5 },
    });
  });
});
