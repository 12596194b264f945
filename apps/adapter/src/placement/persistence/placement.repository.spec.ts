import type { DataSource } from 'typeorm';
import { openRegistryDataSource } from '../../registry/data-source.factory';
import { InMemoryPlacementRepository } from './in-memory-placement.repository';
import type { NewPlacementDecision, PlacementRepository } from './placement.repository';
import { TypeormPlacementRepository } from './placement.repository';

const JOB_A = '6f1c1d1e-0000-4000-8000-00000000000a';
const JOB_B = '6f1c1d1e-0000-4000-8000-00000000000b';
const AT = new Date('2026-06-01T12:00:00.000Z');
const AUTO = { mode: 'auto' as const, candidates: ['edge/gw1', 'edge/gw2'] };

const decision = (over: Partial<NewPlacementDecision>): NewPlacementDecision => ({
  jobId: JOB_A,
  at: AT,
  action: 'stay',
  kind: 'hold',
  fromPlacement: 'edge/gw1',
  toPlacement: null,
  reason: 'r',
  dryRun: false,
  outcome: null,
  capacityPerS: null,
  signals: { backlog: 1 },
  ...over,
});

function placementRepositoryContract(make: () => PlacementRepository): void {
  let repo: PlacementRepository;
  beforeEach(() => {
    repo = make();
  });

  it('saves, replaces and lists auto policies; a pause survives a new policy', async () => {
    await repo.save(JOB_A, AUTO, AT);
    await repo.save(JOB_B, { mode: 'manual' }, AT);
    expect((await repo.listAuto()).map((p) => p.jobId)).toEqual([JOB_A]);
    const until = new Date(AT.getTime() + 60_000);
    await repo.pause(JOB_A, until);
    await repo.save(JOB_A, { ...AUTO, dryRun: true }, AT);
    const found = await repo.find(JOB_A);
    expect(found?.policy).toEqual({ ...AUTO, dryRun: true });
    expect(new Date(found!.pausedUntil!).getTime()).toBe(until.getTime());
    expect(await repo.find('not-a-uuid')).toBeNull();
  });

  it("keeps a rule's samples with its policy, through a new policy", async () => {
    await repo.save(JOB_A, AUTO, AT);
    const kept = {
      placement: 'edge/gw1',
      reading: { at: 2000, backlog: 7, eventsIn: 10, countersAt: 1900 },
      samples: [{ at: 2000, placement: 'edge/gw1', signals: { backlog: 7, eventsInPerS: 5 } }],
      lastRates: { eventsInPerS: 5 },
    };
    await repo.saveSamples(
      new Map([
        [JOB_A, kept],
        [JOB_B, kept],
      ]),
    );
    expect((await repo.listAuto())[0].samples).toEqual(kept);
    await repo.save(JOB_A, { ...AUTO, dryRun: true }, AT);
    expect((await repo.find(JOB_A))?.samples).toEqual(kept);
    expect(await repo.find(JOB_B)).toBeNull();
  });

  it('pages decisions newest first, per job; moves exclude stays and dry runs', async () => {
    const stay = await repo.record(decision({}));
    const move = await repo.record(
      decision({ action: 'move', kind: 'overload', toPlacement: 'edge/gw2', capacityPerS: 800 }),
    );
    await repo.record(decision({ action: 'move', kind: 'overload', dryRun: true }));
    await repo.record(decision({ jobId: JOB_B, at: new Date(AT.getTime() - 7200_000) }));
    await repo.setOutcome(move.id, 'done');
    const all = await repo.page({ limit: 10 });
    expect(all.map((d) => d.jobId)).toEqual([JOB_B, JOB_A, JOB_A, JOB_A]);
    const ofA = await repo.page({ jobId: JOB_A, limit: 2 });
    expect(ofA).toHaveLength(2);
    const older = await repo.page({ jobId: JOB_A, limit: 10, before: ofA[1].id });
    expect(older.map((d) => d.id)).toEqual([stay.id]);
    const moves = await repo.recentMoves(JOB_A, 5);
    expect(moves).toEqual([
      expect.objectContaining({ id: move.id, outcome: 'done', capacityPerS: 800 }),
    ]);
    expect((await repo.movesSince(new Date(AT.getTime() - 1000))).map((d) => d.id)).toEqual([
      move.id,
    ]);
    expect(await repo.movesSince(new Date(AT.getTime() + 1000))).toEqual([]);
  });
}

describe('placement registry on embedded PGlite (same migration as PostgreSQL)', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await openRegistryDataSource({ inMemory: true });
  });
  beforeEach(async () => {
    await dataSource.query('DELETE FROM job');
    for (const id of [JOB_A, JOB_B]) {
      await dataSource.query(
        `INSERT INTO job (id, job_type, template_version, runtime, target_resource, status, config,
           config_file_name, version, created_at, updated_at)
         VALUES ($1, 'filter', '1.0.0', 'edge', 'gw1', 'RUNNING', '{}'::jsonb, $2, 0, now(), now())`,
        [id, `${id}.json`],
      );
    }
  });
  afterAll(async () => {
    await dataSource.destroy();
  });

  placementRepositoryContract(() => new TypeormPlacementRepository(dataSource));

  it("forgets a job's policy and decisions with the job", async () => {
    const repo = new TypeormPlacementRepository(dataSource);
    await repo.save(JOB_A, AUTO, AT);
    await repo.record(decision({}));
    await dataSource.query('DELETE FROM job WHERE id = $1', [JOB_A]);
    expect(await repo.find(JOB_A)).toBeNull();
    expect(await repo.page({ limit: 10 })).toEqual([]);
  });
});

describe('placement registry in memory (the fake the service tests use)', () => {
  placementRepositoryContract(() => new InMemoryPlacementRepository());
});
