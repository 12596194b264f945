import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PlacementAction, PlacementDecision, PlacementSignals } from '@ruleshift/contracts';

@Entity('placement_decision')
export class PlacementDecisionEntity {
  /** bigserial: PostgreSQL answers it as text. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'job_id', type: 'uuid' })
  jobId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  action!: PlacementAction;

  @Column({ type: 'text' })
  kind!: PlacementDecision['kind'];

  @Column({ name: 'from_placement', type: 'text' })
  fromPlacement!: string;

  @Column({ name: 'to_placement', type: 'text', nullable: true })
  toPlacement!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'dry_run', type: 'boolean' })
  dryRun!: boolean;

  /** `done`, `failed: <why>`; null for a stay, a dry run, or a move still running. */
  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  /** overload moves: events/s the rule managed where it was overloaded. */
  @Column({ name: 'capacity_per_s', type: 'double precision', nullable: true })
  capacityPerS!: number | null;

  @Column({ type: 'jsonb' })
  signals!: PlacementSignals;
}
