import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { TemplateInfo } from '@ruleshift/contracts';

/** The template catalog as last synced at boot (the files in templates/ stay the source). */
@Entity('template')
export class TemplateEntity {
  @PrimaryColumn({ name: 'job_type', type: 'text' })
  jobType!: string;

  @PrimaryColumn({ type: 'text' })
  version!: string;

  @Column({ type: 'jsonb' })
  manifest!: TemplateInfo;

  @Column({ name: 'synced_at', type: 'timestamptz' })
  syncedAt!: Date;
}
