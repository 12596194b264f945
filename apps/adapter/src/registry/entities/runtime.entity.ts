import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RuntimeHealth, RuntimeKind } from '@ruleshift/contracts';

@Entity('runtime')
export class RuntimeEntity {
  @PrimaryColumn({ type: 'text' })
  kind!: RuntimeKind;

  /** Agent id or Flink cluster name; unique per kind (composite primary key). */
  @PrimaryColumn({ name: 'target_resource', type: 'text' })
  targetResource!: string;

  @Column({ type: 'text' })
  health!: RuntimeHealth;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true })
  lastSeenAt!: Date | null;

  /** Load figures and per-rule states from the last heartbeat. */
  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;
}
