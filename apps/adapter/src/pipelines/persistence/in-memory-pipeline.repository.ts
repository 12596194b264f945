import type { RuleshiftEvent } from '@ruleshift/contracts';
import { InMemoryEventOutbox } from '../../events/outbox/in-memory-event-outbox';
import type { OperationOwner } from '../../registry/operation-owner';
import type { PipelineEntity, PipelineOperation } from './pipeline.entity';
import { PipelineRepository, type PipelinePatch } from './pipeline.repository';

const copy = (pipeline: PipelineEntity): PipelineEntity => structuredClone(pipeline);

/** PipelineRepository in memory for use-case tests; held to the same contract as SQL. */
export class InMemoryPipelineRepository extends PipelineRepository {
  constructor(
    private readonly owner: OperationOwner,
    readonly rows = new Map<string, PipelineEntity>(),
    /** Where release puts its events (shared with the job fake in a kit). */
    public outbox = new InMemoryEventOutbox(),
  ) {
    super();
  }

  forOwner(owner: OperationOwner): InMemoryPipelineRepository {
    return new InMemoryPipelineRepository(owner, this.rows, this.outbox);
  }

  insert(pipeline: PipelineEntity): Promise<boolean> {
    const taken = [...this.rows.values()].some(
      (p) => p.name === pipeline.name && p.removedAt === null,
    );
    if (taken || this.rows.has(pipeline.id)) return Promise.resolve(false);
    this.rows.set(pipeline.id, copy({ ...pipeline, operationOwner: this.owner.current() }));
    return Promise.resolve(true);
  }

  findById(id: string): Promise<PipelineEntity | null> {
    const found = this.rows.get(id);
    return Promise.resolve(found ? copy(found) : null);
  }

  findLiveByName(name: string): Promise<PipelineEntity | null> {
    const found = [...this.rows.values()].find((p) => p.name === name && p.removedAt === null);
    return Promise.resolve(found ? copy(found) : null);
  }

  listLive(): Promise<PipelineEntity[]> {
    const live = [...this.rows.values()].filter((p) => p.removedAt === null);
    live.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    return Promise.resolve(live.map(copy));
  }

  claim(id: string, operation: PipelineOperation, expectedVersion: number): Promise<boolean> {
    const found = this.rows.get(id);
    const me = this.owner.current();
    if (
      !found ||
      found.version !== expectedVersion ||
      found.removedAt !== null ||
      (found.operation !== null && found.operationOwner === me)
    ) {
      return Promise.resolve(false);
    }
    Object.assign(found, { operation, operationOwner: me, version: found.version + 1 });
    return Promise.resolve(true);
  }

  updateHeld(id: string, operation: PipelineOperation, patch: PipelinePatch): Promise<void> {
    const found = this.held(id, operation);
    if (found) Object.assign(found, structuredClone(patch), { version: found.version + 1 });
    return Promise.resolve();
  }

  release(
    id: string,
    operation: PipelineOperation,
    patch: PipelinePatch = {},
    events: readonly RuleshiftEvent[] = [],
  ): Promise<void> {
    const found = this.held(id, operation);
    if (found) {
      this.outbox.append(events);
      Object.assign(found, structuredClone(patch), {
        operation: null,
        operationOwner: null,
        version: found.version + 1,
      });
    }
    return Promise.resolve();
  }

  purgeRemovedBefore(cutoff: Date, limit: number): Promise<string[]> {
    const old = [...this.rows.values()]
      .filter((p) => p.removedAt !== null && p.removedAt < cutoff && p.operation === null)
      .sort((a, b) => a.removedAt!.getTime() - b.removedAt!.getTime())
      .slice(0, limit)
      .map((p) => p.id);
    for (const id of old) this.rows.delete(id);
    return Promise.resolve(old);
  }

  private held(id: string, operation: PipelineOperation): PipelineEntity | undefined {
    const found = this.rows.get(id);
    return found?.operation === operation && found.operationOwner === this.owner.current()
      ? found
      : undefined;
  }
}
