import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Conflict, ValidationFailed, type Placement } from '@ruleshift/contracts';
import { Clock } from '../../shared/clock';
import { TEMPLATE_CATALOG } from '../../shared/tokens';
import type { TemplateCatalogPort } from '../../shared/template-catalog-port';
import { DriverRegistry } from '../../drivers/driver-registry';
import type { JobEntity } from '../../registry/entities/job.entity';
import type { MoveOperationEntity } from '../../registry/entities/move-operation.entity';
import { JobRepository } from '../../registry/job.repository';
import { MoveOperationRepository } from '../../registry/move-operation.repository';
import { RuntimeAvailability } from '../../runtimes/runtime-availability';
import { IN_PROGRESS_REASON, toDriverJob } from '../job-access';
import { MoveProcedure } from './move-procedure';

export interface MoveRequest {
  /** Drop the window state: required where it cannot move, honoured where it could. */
  dropState?: boolean;
  /**
   * Accept dropping the window state only where it cannot move (a placement policy's
   * `dropState`): where it can, it is carried.
   */
  mayDropState?: boolean;
  /**
   * The source runtime is lost (placement policy evacuation): nothing is stopped or
   * uninstalled there, the rule is installed and started on the target from its input queue,
   * and its window state (on the lost runtime) is dropped, so `dropState` must be set for a
   * stateful rule.
   */
  sourceLost?: boolean;
  /** Why, when not an operator's request: kept with the move, its history entry and event. */
  reason?: string;
  /** Where the caller's jobInfo sits in its request, for error fields. */
  fieldPrefix?: string;
}

/**
 * Starts and runs a move of a loaded job: checks the target, holds the job (compare-and-set on
 * its version, as every operation on a job), records the move and runs it. Shared by the
 * operator's `/api/move` and the placement policy.
 */
@Injectable()
export class MoveStarter {
  constructor(
    @Inject(TEMPLATE_CATALOG) private readonly catalog: TemplateCatalogPort,
    @Inject(DriverRegistry) private readonly drivers: DriverRegistry,
    @Inject(RuntimeAvailability) private readonly availability: RuntimeAvailability,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(MoveOperationRepository) private readonly moves: MoveOperationRepository,
    @Inject(MoveProcedure) private readonly procedure: MoveProcedure,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async run(job: JobEntity, to: Placement, request: MoveRequest = {}): Promise<void> {
    const prefix = request.fieldPrefix ?? '';
    if (to.runtime === job.runtime && to.targetResource === job.targetResource) {
      throw new ValidationFailed([
        {
          field: 'targetResource',
          reason: `job ${job.id} is already placed on ${to.runtime}/${to.targetResource}`,
        },
      ]);
    }
    const template = this.catalog.get(job.jobType);
    if (!template.runtimes.includes(to.runtime)) {
      throw new ValidationFailed([
        {
          field: 'target_runtime',
          reason: `template ${job.jobType} does not support runtime ${to.runtime}`,
        },
      ]);
    }
    const source = this.drivers.get(job.runtime, `${prefix}runtime`);
    const target = this.drivers.get(to.runtime, 'target_runtime');
    await this.availability.requireReachable(to.runtime, to.targetResource, 'targetResource');
    const sourceLost = request.sourceLost === true;
    const stateFits =
      !sourceLost && source.canCarryState(to.runtime) && target.canCarryState(job.runtime);
    if (
      template.stateful &&
      !stateFits &&
      request.dropState !== true &&
      request.mayDropState !== true
    ) {
      throw new ValidationFailed([
        {
          field: 'dropState',
          reason: sourceLost
            ? `template ${job.jobType} is stateful and its window state is on the lost ` +
              `runtime ${job.runtime}/${job.targetResource}; set dropState: true to move without it`
            : `template ${job.jobType} is stateful and its window state cannot move from ` +
              `${job.runtime} to ${to.runtime}; set dropState: true to move without it`,
        },
      ]);
    }

    // Before the source is stopped: a target without room would only roll the move back.
    await target.requireCapacity?.(toDriverJob(job, to), job.config);

    // dropState is the caller's choice even where the state could move.
    const carriesState = stateFits && request.dropState !== true;

    if (!(await this.jobs.claim(job.id, 'move', job.version))) {
      throw new Conflict(`${prefix}jobId`, IN_PROGRESS_REASON);
    }
    const now = this.clock.now();
    const wasRunning = job.status === 'RUNNING';
    const firstStep = wasRunning ? 'STOPPING' : 'UNINSTALLING';
    const move: MoveOperationEntity = {
      id: randomUUID(),
      jobId: job.id,
      fromRuntime: job.runtime,
      fromResource: job.targetResource,
      toRuntime: to.runtime,
      toResource: to.targetResource,
      wasRunning,
      carryState: template.stateful && carriesState,
      // Decided here, once: only a stateful template's state can be left behind.
      dropsState: template.stateful && !carriesState,
      sourceLost,
      reason: request.reason ?? null,
      owner: null,
      step: sourceLost ? 'INSTALLING' : firstStep,
      snapshot: sourceLost ? null : job.snapshot,
      state: 'IN_PROGRESS',
      error: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.moves.insert(move);
    } catch (err) {
      await this.jobs.release(job.id, 'move');
      throw err;
    }
    await this.procedure.run(move);
  }
}
