import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { RuleshiftEvent } from '@ruleshift/contracts';

/**
 * A job or pipeline event written in the same transaction as the transition it reports, and
 * published on `ruleshift.events` by the relay afterwards (`publishedAt` set then).
 */
@Entity('event_outbox')
export class OutboxEventEntity {
  /** Insertion order, the order the relay publishes in. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'jsonb' })
  event!: RuleshiftEvent;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  /** Failed publish attempts so far, and the last failure (for operators). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
