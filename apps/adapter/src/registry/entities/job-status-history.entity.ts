import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { JobStatus, RuntimeKind } from '@ruleshift/contracts';

@Entity('job_status_history')
export class JobStatusHistoryEntity {
  @PrimaryGeneratedColumn('increment')
  id!: number;

  @Column({ name: 'job_id', type: 'uuid' })
  jobId!: string;

  @Column({ type: 'text' })
  status!: JobStatus;

  @Column({ type: 'text' })
  runtime!: RuntimeKind;

  @Column({ name: 'target_resource', type: 'text' })
  targetResource!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
