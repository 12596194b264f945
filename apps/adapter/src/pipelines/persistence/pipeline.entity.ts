import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PipelineExchange, PipelineObject } from '@ruleshift/contracts';

export type PipelineOperation = 'create' | 'start' | 'stop' | 'uninstall';

/** A stage's membership: which job runs it and what it reads. */
export interface PipelineStageRow {
  name: string;
  from: string[];
  /** Null until the stage's job is installed (during create). */
  jobId: string | null;
}

@Entity('pipeline')
export class PipelineEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Unique among pipelines not removed (partial unique index). */
  @Column({ type: 'text' })
  name!: string;

  /** The pipeline object as the client sent it. */
  @Column({ type: 'jsonb' })
  definition!: PipelineObject;

  /** In the request's order. */
  @Column({ type: 'jsonb' })
  stages!: PipelineStageRow[];

  /** Exchanges the wiring created between stages, deleted at uninstall. */
  @Column({ type: 'jsonb' })
  exchanges!: PipelineExchange[];

  @Column({ type: 'text', nullable: true })
  operation!: PipelineOperation | null;

  /** The adapter term that holds `operation` (an operation of a dead term may be taken over). */
  @Column({ name: 'operation_owner', type: 'text', nullable: true })
  operationOwner!: string | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason!: string | null;

  /** Set when the pipeline was uninstalled or its creation rolled back. */
  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt!: Date | null;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
