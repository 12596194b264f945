import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ApiRole } from '@ruleshift/contracts';

/** One mutating API call: who, what, on which job, a digest of the body, the result. */
@Entity('audit_entry')
export class AuditEntryEntity {
  /** bigserial: the page cursor; TypeORM reads bigint as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  role!: ApiRole;

  @Column({ type: 'text' })
  operation!: string;

  @Column({ name: 'job_id', type: 'text', nullable: true })
  jobId!: string | null;

  @Column({ name: 'body_digest', type: 'text', nullable: true })
  bodyDigest!: string | null;

  @Column({ name: 'status_code', type: 'integer' })
  statusCode!: number;

  @Column({ name: 'client_address', type: 'text', nullable: true })
  clientAddress!: string | null;
}
