import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RuleSnapshot, RuntimeKind } from '@ruleshift/contracts';

/**
 * Steps are written *before* the action they name (write-ahead), so a restarted adapter knows
 * the furthest action that may have happened.
 */
export const MOVE_STEPS = ['STOPPING', 'UNINSTALLING', 'INSTALLING', 'STARTING'] as const;
export type MoveStep = (typeof MOVE_STEPS)[number];
export type MoveState = 'IN_PROGRESS' | 'DONE' | 'ROLLED_BACK';

@Entity('move_operation')
export class MoveOperationEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'job_id', type: 'uuid' })
  jobId!: string;

  @Column({ name: 'from_runtime', type: 'text' })
  fromRuntime!: RuntimeKind;

  @Column({ name: 'from_resource', type: 'text' })
  fromResource!: string;

  @Column({ name: 'to_runtime', type: 'text' })
  toRuntime!: RuntimeKind;

  @Column({ name: 'to_resource', type: 'text' })
  toResource!: string;

  @Column({ name: 'was_running', type: 'boolean' })
  wasRunning!: boolean;

  /** Whether the target takes the snapshot (false: stateless template or dropState). */
  @Column({ name: 'carry_state', type: 'boolean' })
  carryState!: boolean;

  /** Whether the move leaves window state behind (stateful template, dropState). */
  @Column({ name: 'drops_state', type: 'boolean' })
  dropsState!: boolean;

  /**
   * The source runtime was lost (an evacuation by the placement policy): the move starts at
   * INSTALLING, and a rollback leaves the rule recorded where it was instead of reinstalling it
   * on a runtime that cannot be reached.
   */
  @Column({ name: 'source_lost', type: 'boolean', default: false })
  sourceLost?: boolean;

  /** Why the move was made when not by an operator (the placement policy's reason). */
  @Column({ type: 'text', nullable: true })
  reason?: string | null;

  /** Leadership term of the adapter running the move; set by the repository on insert. */
  @Column({ type: 'text', nullable: true })
  owner!: string | null;

  @Column({ type: 'text' })
  step!: MoveStep;

  @Column({ type: 'jsonb', nullable: true })
  snapshot!: RuleSnapshot | null;

  @Column({ type: 'text' })
  state!: MoveState;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
