import { DataSource, IsNull, type Repository } from 'typeorm';
import type { RuleshiftEvent } from '@ruleshift/contracts';
import { insertOutboxEvents } from '../../events/outbox/event-outbox.repository';
import { row } from '../../registry/query-row';
import type { OperationOwner } from '../../registry/operation-owner';
import { PipelineEntity, type PipelineOperation } from './pipeline.entity';

export type PipelinePatch = Partial<
  Pick<PipelineEntity, 'stages' | 'failureReason' | 'removedAt' | 'updatedAt'>
>;

/**
 * The pipeline table. Operations on a pipeline never overlap: claim/release as for jobs. A
 * pipeline held by another adapter term may be claimed: only the active adapter serves
 * requests, so that term is dead and its operation was interrupted.
 */
export abstract class PipelineRepository {
  /** Inserts a pipeline held by `create`; false when a pipeline not removed has the name. */
  abstract insert(pipeline: PipelineEntity): Promise<boolean>;
  abstract findById(id: string): Promise<PipelineEntity | null>;
  abstract findLiveByName(name: string): Promise<PipelineEntity | null>;
  /** Pipelines not removed, oldest first. */
  abstract listLive(): Promise<PipelineEntity[]>;
  abstract claim(
    id: string,
    operation: PipelineOperation,
    expectedVersion: number,
  ): Promise<boolean>;
  /** Updates the pipeline while this term holds it for `operation`. */
  abstract updateHeld(
    id: string,
    operation: PipelineOperation,
    patch: PipelinePatch,
  ): Promise<void>;
  /**
   * Deletes pipelines removed before `cutoff` that no operation holds, oldest first, at most
   * `limit`; returns their ids.
   */
  abstract purgeRemovedBefore(cutoff: Date, limit: number): Promise<string[]>;
  /** Lets go of the pipeline; `events` go to the outbox in the same transaction. */
  abstract release(
    id: string,
    operation: PipelineOperation,
    patch?: PipelinePatch,
    events?: readonly RuleshiftEvent[],
  ): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class TypeormPipelineRepository extends PipelineRepository {
  private readonly pipelines: Repository<PipelineEntity>;

  constructor(
    dataSource: DataSource,
    private readonly owner: OperationOwner,
  ) {
    super();
    this.pipelines = dataSource.getRepository(PipelineEntity);
  }

  async insert(pipeline: PipelineEntity): Promise<boolean> {
    try {
      await this.pipelines.insert(
        row<PipelineEntity>({ ...pipeline, operationOwner: this.owner.current() }),
      );
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  findById(id: string): Promise<PipelineEntity | null> {
    if (!UUID.test(id)) return Promise.resolve(null);
    return this.pipelines.findOneBy({ id });
  }

  findLiveByName(name: string): Promise<PipelineEntity | null> {
    return this.pipelines.findOneBy({ name, removedAt: IsNull() });
  }

  listLive(): Promise<PipelineEntity[]> {
    return this.pipelines.find({
      where: { removedAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  async claim(id: string, operation: PipelineOperation, expectedVersion: number): Promise<boolean> {
    const result = await this.pipelines
      .createQueryBuilder()
      .update(PipelineEntity)
      .set({ operation, operationOwner: this.owner.current(), version: () => 'version + 1' })
      .where(
        'id = :id AND version = :expectedVersion AND removed_at IS NULL' +
          ' AND (operation IS NULL OR operation_owner <> :owner)',
        { id, expectedVersion, owner: this.owner.current() },
      )
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async updateHeld(id: string, operation: PipelineOperation, patch: PipelinePatch): Promise<void> {
    await this.update(
      this.pipelines,
      id,
      operation,
      row<PipelineEntity>({ ...patch, version: () => 'version + 1' }),
    );
  }

  async release(
    id: string,
    operation: PipelineOperation,
    patch: PipelinePatch = {},
    events: readonly RuleshiftEvent[] = [],
  ): Promise<void> {
    const values = row<PipelineEntity>({
      ...patch,
      operation: null,
      operationOwner: null,
      version: () => 'version + 1',
    });
    if (events.length === 0) {
      await this.update(this.pipelines, id, operation, values);
      return;
    }
    await this.pipelines.manager.transaction(async (manager) => {
      const affected = await this.update(
        manager.getRepository(PipelineEntity),
        id,
        operation,
        values,
      );
      if (affected) await insertOutboxEvents(manager, events);
    });
  }

  async purgeRemovedBefore(cutoff: Date, limit: number): Promise<string[]> {
    const old = await this.pipelines
      .createQueryBuilder('p')
      .select('p.id')
      .where('p.removed_at IS NOT NULL AND p.removed_at < :cutoff AND p.operation IS NULL', {
        cutoff: cutoff.toISOString(),
      })
      .orderBy('p.removed_at', 'ASC')
      .limit(limit)
      .getMany();
    if (old.length === 0) return [];
    const result = await this.pipelines
      .createQueryBuilder()
      .delete()
      .from(PipelineEntity)
      .where('id IN (:...ids) AND removed_at IS NOT NULL AND operation IS NULL', {
        ids: old.map((p) => p.id),
      })
      .returning('id')
      .execute();
    return ((result.raw ?? []) as { id: string }[]).map((r) => r.id);
  }

  private async update(
    pipelines: Repository<PipelineEntity>,
    id: string,
    operation: PipelineOperation,
    values: ReturnType<typeof row<PipelineEntity>>,
  ): Promise<number | undefined> {
    const result = await pipelines
      .createQueryBuilder()
      .update(PipelineEntity)
      .set(values)
      .where('id = :id AND operation = :operation AND operation_owner = :owner', {
        id,
        operation,
        owner: this.owner.current(),
      })
      .execute();
    return result.affected;
  }
}

const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  return e.code === UNIQUE_VIOLATION || e.driverError?.code === UNIQUE_VIOLATION;
}
