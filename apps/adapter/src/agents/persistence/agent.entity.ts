import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AgentEnrolmentStatus } from '@ruleshift/contracts';

/** An agent the adapter knows: PENDING (token issued), ENROLLED (key registered) or REVOKED. */
@Entity('agent')
export class AgentEntity {
  @PrimaryColumn({ name: 'agent_id', type: 'text' })
  agentId!: string;

  @Column({ type: 'text' })
  status!: AgentEnrolmentStatus;

  /** sha256 of the one-time enrolment token; cleared once presented. */
  @Column({ name: 'enrolment_token_hash', type: 'text', nullable: true })
  enrolmentTokenHash!: string | null;

  @Column({ name: 'enrolment_expires_at', type: 'timestamptz', nullable: true })
  enrolmentExpiresAt!: Date | null;

  /** The agent's ed25519 public key (PEM), set at enrolment. */
  @Column({ name: 'public_key', type: 'text', nullable: true })
  publicKey!: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'enrolled_at', type: 'timestamptz', nullable: true })
  enrolledAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
