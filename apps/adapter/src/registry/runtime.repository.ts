import { row } from './query-row';
import { DataSource, LessThan, Repository } from 'typeorm';
import type { RuntimeKind } from '@ruleshift/contracts';
import { RuntimeEntity } from './entities/runtime.entity';

export abstract class RuntimeRepository {
  abstract find(kind: RuntimeKind, targetResource: string): Promise<RuntimeEntity | null>;
  abstract list(): Promise<RuntimeEntity[]>;
  abstract upsert(runtime: RuntimeEntity): Promise<void>;
  /** Marks UP runtimes of `kind` last seen before `cutoff` UNREACHABLE; returns their names. */
  abstract markUnreachableSeenBefore(kind: RuntimeKind, cutoff: Date): Promise<string[]>;
}

export class TypeormRuntimeRepository extends RuntimeRepository {
  private readonly runtimes: Repository<RuntimeEntity>;

  constructor(dataSource: DataSource) {
    super();
    this.runtimes = dataSource.getRepository(RuntimeEntity);
  }

  find(kind: RuntimeKind, targetResource: string): Promise<RuntimeEntity | null> {
    return this.runtimes.findOneBy({ kind, targetResource });
  }

  list(): Promise<RuntimeEntity[]> {
    return this.runtimes.find({ order: { kind: 'ASC', targetResource: 'ASC' } });
  }

  async upsert(runtime: RuntimeEntity): Promise<void> {
    await this.runtimes.upsert(row<RuntimeEntity>(runtime), ['kind', 'targetResource']);
  }

  async markUnreachableSeenBefore(kind: RuntimeKind, cutoff: Date): Promise<string[]> {
    const stale = await this.runtimes.findBy({ kind, health: 'UP', lastSeenAt: LessThan(cutoff) });
    if (stale.length === 0) return [];
    const names = stale.map((r) => r.targetResource);
    await this.runtimes
      .createQueryBuilder()
      .update(RuntimeEntity)
      .set({ health: 'UNREACHABLE' })
      .where('kind = :kind AND health = :up AND last_seen_at < :cutoff', { kind, up: 'UP', cutoff })
      .execute();
    return names;
  }
}
