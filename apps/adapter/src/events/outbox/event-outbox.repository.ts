import type { DataSource, EntityManager, Repository } from 'typeorm';
import type { RuleshiftEvent } from '@ruleshift/contracts';
import { row } from '../../registry/query-row';
import { OutboxEventEntity } from './outbox-event.entity';

/** An event the relay has still to publish. */
export interface PendingEvent {
  id: string;
  event: RuleshiftEvent;
  attempts: number;
}

/** What the relay has not published yet, for the metrics. */
export interface OutboxBacklog {
  /** Events not published yet. */
  pending: number;
  /** When the oldest of them was written; null when none is pending. */
  oldestCreatedAt: Date | null;
  /** Failed publish attempts of the event at the head of the line (it holds back the rest). */
  headAttempts: number;
}

/**
 * The outbox table. Events get into it with the registry write they report (JobRepository and
 * PipelineRepository `release`/`updateIdle` take them), so a committed transition always has its
 * event; the relay publishes them in insertion order and marks them.
 */
export abstract class EventOutbox {
  /** Unpublished events, oldest first. */
  abstract pending(limit: number): Promise<PendingEvent[]>;
  abstract markPublished(id: string, at: Date): Promise<void>;
  /** Counts a failed publish and keeps its reason; the event stays pending. */
  abstract recordFailure(id: string, error: string): Promise<void>;
  /** Deletes events published before `cutoff`; returns how many. */
  abstract purgePublishedBefore(cutoff: Date): Promise<number>;
  abstract backlog(): Promise<OutboxBacklog>;
}

/** Inserts events through `manager`, i.e. in the caller's transaction. */
export async function insertOutboxEvents(
  manager: EntityManager,
  events: readonly RuleshiftEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await manager.getRepository(OutboxEventEntity).insert(
    events.map((event) =>
      row<OutboxEventEntity>({
        event,
        createdAt: new Date(event.at),
        publishedAt: null,
        attempts: 0,
        lastError: null,
      }),
    ),
  );
}

const MAX_ERROR_LENGTH = 1000;

export class TypeormEventOutbox extends EventOutbox {
  private readonly rows: Repository<OutboxEventEntity>;

  constructor(dataSource: DataSource) {
    super();
    this.rows = dataSource.getRepository(OutboxEventEntity);
  }

  async pending(limit: number): Promise<PendingEvent[]> {
    const rows = await this.rows
      .createQueryBuilder('o')
      .where('o.published_at IS NULL')
      .orderBy('o.id', 'ASC')
      .limit(limit)
      .getMany();
    return rows.map((r) => ({ id: String(r.id), event: r.event, attempts: r.attempts }));
  }

  async markPublished(id: string, at: Date): Promise<void> {
    await this.rows.update({ id }, { publishedAt: at });
  }

  async recordFailure(id: string, error: string): Promise<void> {
    await this.rows
      .createQueryBuilder()
      .update(OutboxEventEntity)
      .set({ attempts: () => 'attempts + 1', lastError: error.slice(0, MAX_ERROR_LENGTH) })
      .where('id = :id', { id })
      .execute();
  }

  async backlog(): Promise<OutboxBacklog> {
    const [counted, [head]] = await Promise.all([
      this.rows.createQueryBuilder('o').where('o.published_at IS NULL').getCount(),
      this.rows
        .createQueryBuilder('o')
        .where('o.published_at IS NULL')
        .orderBy('o.id', 'ASC')
        .limit(1)
        .getMany(),
    ]);
    return {
      pending: counted,
      oldestCreatedAt: head?.createdAt ?? null,
      headAttempts: head?.attempts ?? 0,
    };
  }

  async purgePublishedBefore(cutoff: Date): Promise<number> {
    const result = await this.rows
      .createQueryBuilder()
      .delete()
      .from(OutboxEventEntity)
      .where('published_at IS NOT NULL AND published_at < :cutoff', {
        cutoff: cutoff.toISOString(),
      })
      .execute();
    return result.affected ?? 0;
  }
}
