import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PlacementPolicy } from '@ruleshift/contracts';
import type { SampleWindowState } from '../signals/sample-window-state';

/** A rule's placement policy; a rule without a row is placed manually. */
@Entity('job_placement')
export class JobPlacementEntity {
  @PrimaryColumn({ name: 'job_id', type: 'uuid' })
  jobId!: string;

  @Column({ type: 'jsonb' })
  policy!: PlacementPolicy;

  /** An operator's move pauses the policy for this rule until then. */
  @Column({ name: 'paused_until', type: 'timestamptz', nullable: true })
  pausedUntil!: Date | null;

  /** The placement service's recent samples of the rule, as the active adapter last kept them. */
  @Column({ type: 'jsonb', nullable: true })
  samples!: SampleWindowState | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
