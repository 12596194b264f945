import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  Conflict,
  ValidationFailed,
  type JobInfo,
  type JobStatus,
  type RelocationObject,
} from '@ruleshift/contracts';
import { Clock } from '../../../shared/clock';
import { TEMPLATE_CATALOG } from '../../../shared/tokens';
import type { TemplateCatalogPort } from '../../../shared/template-catalog-port';
import { DriverRegistry } from '../../../drivers/driver-registry';
import type { MoveOperationEntity } from '../../../registry/entities/move-operation.entity';
import { JobRepository } from '../../../registry/job.repository';
import { MoveOperationRepository } from '../../../registry/move-operation.repository';
import { RuntimeAvailability } from '../../../runtimes/runtime-availability';
import { IN_PROGRESS_REASON, JobAccess } from '../../job-access';
import { toJobInfo } from '../../job-mapper';
import { MoveProcedure } from '../../move/move-procedure';

const MOVABLE: readonly JobStatus[] = ['INSTALLED', 'RUNNING', 'STOPPED'];

/** `/api/move`: relocates a rule with the same RuleConfig, keeping its status. */
@Injectable()
export class RelocateJobUseCase {
  constructor(
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(TEMPLATE_CATALOG) private readonly catalog: TemplateCatalogPort,
    @Inject(DriverRegistry) private readonly drivers: DriverRegistry,
    @Inject(RuntimeAvailability) private readonly availability: RuntimeAvailability,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(MoveOperationRepository) private readonly moves: MoveOperationRepository,
    @Inject(MoveProcedure) private readonly procedure: MoveProcedure,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(request: RelocationObject): Promise<JobInfo> {
    const job = await this.access.loadFor(request.jobInfo, 'jobInfo.');
    this.access.requireStatus(job, MOVABLE, 'move', 'jobInfo.');
    const to = { runtime: request.target_runtime, targetResource: request.targetResource };
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
    const source = this.drivers.get(job.runtime, 'jobInfo.runtime');
    const target = this.drivers.get(to.runtime, 'target_runtime');
    await this.availability.requireReachable(to.runtime, to.targetResource, 'targetResource');
    const stateFits = source.canCarryState(to.runtime) && target.canCarryState(job.runtime);
    if (template.stateful && !stateFits && request.dropState !== true) {
      throw new ValidationFailed([
        {
          field: 'dropState',
          reason:
            `template ${job.jobType} is stateful and its window state cannot move from ` +
            `${job.runtime} to ${to.runtime}; set dropState: true to move without it`,
        },
      ]);
    }

    if (!(await this.jobs.claim(job.id, 'move', job.version))) {
      throw new Conflict('jobInfo.jobId', IN_PROGRESS_REASON);
    }
    const now = this.clock.now();
    const wasRunning = job.status === 'RUNNING';
    const move: MoveOperationEntity = {
      id: randomUUID(),
      jobId: job.id,
      fromRuntime: job.runtime,
      fromResource: job.targetResource,
      toRuntime: to.runtime,
      toResource: to.targetResource,
      wasRunning,
      carryState: template.stateful && stateFits,
      // Decided here, once: only a stateful template's state can be left behind.
      dropsState: template.stateful && !stateFits,
      owner: null,
      step: wasRunning ? 'STOPPING' : 'UNINSTALLING',
      snapshot: job.snapshot,
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
    return toJobInfo(await this.access.reload(job.id));
  }
}
