import { randomUUID } from 'node:crypto';
import { FixedOperationOwner, type OperationOwner } from '../../registry/operation-owner';
import type { PipelineEntity } from '../persistence/pipeline.entity';
import type { PipelineRepository } from '../persistence/pipeline.repository';
import { twoStagePipeline } from './pipeline-fixtures';

let counter = 0;

/** A pipeline held by `create`, with a name no other case uses. */
export function pipelineRow(name = `p${Date.now() % 1e8}-${counter++}`): PipelineEntity {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, counter));
  return {
    id: randomUUID(),
    name,
    definition: twoStagePipeline(name),
    stages: [
      { name: 'hot', from: [], jobId: null },
      { name: 'classify', from: ['hot'], jobId: null },
    ],
    exchanges: [{ endpoint: 'edge', exchange: `ruleshift.pipeline.${name}.hot` }],
    operation: 'create',
    operationOwner: null,
    failureReason: null,
    removedAt: null,
    version: 0,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * The pipeline table's contract, run on embedded PGlite (same migration as PostgreSQL) and on
 * the in-memory fake the use-case tests rely on.
 */
export function pipelineRepositoryContract(
  repositoryFor: (owner: OperationOwner) => PipelineRepository,
): void {
  const a = new FixedOperationOwner('adapter-a/term-1');
  const b = new FixedOperationOwner('adapter-b/term-1');

  it('stores a pipeline with its stages and finds it by id and by live name', async () => {
    const repo = repositoryFor(a);
    const row = pipelineRow();
    expect(await repo.insert(row)).toBe(true);
    const found = await repo.findById(row.id);
    expect(found).toMatchObject({
      name: row.name,
      stages: row.stages,
      exchanges: row.exchanges,
      definition: row.definition,
      operation: 'create',
      operationOwner: a.current(),
    });
    expect((await repo.findLiveByName(row.name))?.id).toBe(row.id);
    expect(await repo.findById('not-a-uuid')).toBeNull();
  });

  it('refuses a second live pipeline with the same name, and takes it once the first is removed', async () => {
    const repo = repositoryFor(a);
    const first = pipelineRow();
    await repo.insert(first);
    expect(await repo.insert({ ...pipelineRow(first.name) })).toBe(false);
    await repo.release(first.id, 'create', { removedAt: new Date() });
    expect(await repo.findLiveByName(first.name)).toBeNull();
    expect(await repo.insert(pipelineRow(first.name))).toBe(true);
  });

  it("lets one operation hold a pipeline at a time, and a new term take a dead term's hold", async () => {
    const repo = repositoryFor(a);
    const row = pipelineRow();
    await repo.insert(row);
    await repo.release(row.id, 'create', {
      stages: [{ name: 'hot', from: [], jobId: randomUUID() }],
    });
    const released = (await repo.findById(row.id))!;
    expect(released.operation).toBeNull();
    expect(released.stages[0].jobId).not.toBeNull();

    expect(await repo.claim(row.id, 'start', released.version)).toBe(true);
    expect(await repo.claim(row.id, 'stop', released.version + 1)).toBe(false);
    // Another term (the previous adapter died): it may take over the interrupted operation.
    expect(await repositoryFor(b).claim(row.id, 'stop', released.version + 1)).toBe(true);
    // A stale version never wins.
    expect(await repositoryFor(a).claim(row.id, 'stop', released.version)).toBe(false);
  });

  it('writes held updates only for the holder, and lists live pipelines oldest first', async () => {
    const repo = repositoryFor(a);
    const older = pipelineRow();
    const newer = pipelineRow();
    await repo.insert(newer);
    await repo.insert(older);
    await repositoryFor(b).updateHeld(older.id, 'create', { failureReason: 'not mine' });
    expect((await repo.findById(older.id))?.failureReason).toBeNull();
    await repo.updateHeld(older.id, 'create', { failureReason: 'mine' });
    expect((await repo.findById(older.id))?.failureReason).toBe('mine');
    const live = (await repo.listLive()).map((p) => p.id);
    expect(live.indexOf(newer.id)).toBeGreaterThan(live.indexOf(older.id));
  });

  it('deletes pipelines removed before the cutoff, oldest first, never live or held ones', async () => {
    const repo = repositoryFor(a);
    const at = (day: number) => new Date(Date.UTC(2020, 0, day));
    const removed = async (day: number) => {
      const row = pipelineRow();
      await repo.insert(row);
      await repo.release(row.id, 'create', { removedAt: at(day) });
      return row.id;
    };
    const oldest = await removed(1);
    const older = await removed(2);
    const recent = await removed(20);
    const live = pipelineRow();
    await repo.insert(live);
    await repo.release(live.id, 'create');
    // Removed long ago but still held by its operation: kept.
    const held = { ...pipelineRow(), removedAt: at(1) };
    await repo.insert(held);

    expect(await repo.purgeRemovedBefore(at(10), 1)).toEqual([oldest]);
    expect(await repo.purgeRemovedBefore(at(10), 10)).toEqual([older]);
    expect(await repo.findById(oldest)).toBeNull();
    expect(await repo.findById(recent)).not.toBeNull();
    expect(await repo.findById(live.id)).not.toBeNull();
    expect(await repo.findById(held.id)).not.toBeNull();
    expect(await repo.purgeRemovedBefore(at(10), 10)).toEqual([]);
  });
}
