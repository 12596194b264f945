import type { RuleshiftEvent } from '@ruleshift/contracts';
import { EventOutbox, type OutboxBacklog, type PendingEvent } from './event-outbox.repository';

interface OutboxRow extends PendingEvent {
  publishedAt: Date | null;
  lastError: string | null;
}

/**
 * The outbox in memory, shared by the in-memory job and pipeline repositories (which append
 * to it in their release, as the SQL ones do in the same transaction).
 */
export class InMemoryEventOutbox extends EventOutbox {
  readonly rows: OutboxRow[] = [];
  private nextId = 1;

  /** Appends all of `events` or, like the SQL insert, none (an `at` that is no time). */
  append(events: readonly RuleshiftEvent[]): void {
    const unstorable = events.find((e) => Number.isNaN(Date.parse(e.at)));
    if (unstorable) throw new Error(`event ${unstorable.eventId}: at is not a timestamp`);
    for (const event of events) {
      this.rows.push({
        id: String(this.nextId++),
        event: structuredClone(event),
        attempts: 0,
        publishedAt: null,
        lastError: null,
      });
    }
  }

  pending(limit: number): Promise<PendingEvent[]> {
    return Promise.resolve(
      this.rows
        .filter((r) => r.publishedAt === null)
        .slice(0, limit)
        .map((r) => ({ id: r.id, event: structuredClone(r.event), attempts: r.attempts })),
    );
  }

  markPublished(id: string, at: Date): Promise<void> {
    const row = this.rows.find((r) => r.id === id);
    if (row) row.publishedAt = at;
    return Promise.resolve();
  }

  recordFailure(id: string, error: string): Promise<void> {
    const row = this.rows.find((r) => r.id === id);
    if (row) {
      row.attempts += 1;
      row.lastError = error;
    }
    return Promise.resolve();
  }

  backlog(): Promise<OutboxBacklog> {
    const pending = this.rows.filter((r) => r.publishedAt === null);
    const head = pending[0];
    return Promise.resolve({
      pending: pending.length,
      oldestCreatedAt: head ? new Date(head.event.at) : null,
      headAttempts: head?.attempts ?? 0,
    });
  }

  purgePublishedBefore(cutoff: Date): Promise<number> {
    const before = this.rows.length;
    const kept = this.rows.filter((r) => r.publishedAt === null || r.publishedAt >= cutoff);
    this.rows.splice(0, this.rows.length, ...kept);
    return Promise.resolve(before - kept.length);
  }
}
