import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JobStatus, RuleConfig, RuleSnapshot, RuntimeKind } from '@ruleshift/contracts';

/** The operation currently holding a job (compare-and-set in JobRepository.claim). */
export type JobOperation = 'install' | 'start' | 'stop' | 'uninstall' | 'move';

@Entity('job')
export class JobEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'job_type', type: 'text' })
  jobType!: string;

  @Column({ name: 'template_version', type: 'text' })
  templateVersion!: string;

  @Column({ type: 'text' })
  runtime!: RuntimeKind;

  @Column({ name: 'target_resource', type: 'text' })
  targetResource!: string;

  @Column({ type: 'text' })
  status!: JobStatus;

  /** The rendered RuleConfig: the content of `configFileName`, identical on every placement. */
  @Column({ type: 'jsonb' })
  config!: RuleConfig;

  @Column({ name: 'config_file_name', type: 'text' })
  configFileName!: string;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason!: string | null;

  @Column({ type: 'text', nullable: true })
  operation!: JobOperation | null;

  /** Leadership term of the adapter running `operation`; set by the repository on claim. */
  @Column({ name: 'operation_owner', type: 'text', nullable: true })
  operationOwner!: string | null;

  /** Last state a stop returned, so a later move can carry it. */
  @Column({ type: 'jsonb', nullable: true })
  snapshot!: RuleSnapshot | null;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
