import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RuleConfig } from '@ruleshift/contracts';

@Entity('flink_deployment')
export class FlinkDeploymentEntity {
  /** The rule's job id; a rule is on at most one Flink cluster at a time. */
  @PrimaryColumn({ name: 'job_id', type: 'uuid' })
  jobId!: string;

  @Column({ type: 'text' })
  cluster!: string;

  @Column({ name: 'job_type', type: 'text' })
  jobType!: string;

  @Column({ name: 'template_version', type: 'text' })
  templateVersion!: string;

  @Column({ name: 'jar_sha256', type: 'text' })
  jarSha256!: string;

  @Column({ name: 'jar_id', type: 'text' })
  jarId!: string;

  @Column({ name: 'entry_class', type: 'text' })
  entryClass!: string;

  /** Credential-free RuleConfig; broker URIs are resolved again on every start. */
  @Column({ type: 'jsonb' })
  config!: RuleConfig;

  @Column({ name: 'flink_job_id', type: 'text', nullable: true })
  flinkJobId!: string | null;

  @Column({ name: 'savepoint_path', type: 'text', nullable: true })
  savepointPath!: string | null;

  @Column({ name: 'confirmed_savepoint_path', type: 'text', nullable: true })
  confirmedSavepointPath!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
