import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/clock';
import { DriverRegistry } from '../../../drivers/driver-registry';
import { JobRepository } from '../../../registry/job.repository';
import { MoveOperationRepository } from '../../../registry/move-operation.repository';
import { JobAccess, toDriverJob } from '../../job-access';
import { MoveProcedure } from '../../move/move-procedure';

export interface ResumeReport {
  moves: { id: string; jobId: string; state: string }[];
  /** Jobs held by a non-move operation when the previous adapter stopped. */
  releasedJobs: string[];
}

/**
 * Runs at boot, before the adapter takes requests: finishes or rolls back every move a
 * previous adapter left IN_PROGRESS, then lets go of jobs a crashed start/stop/uninstall left
 * held (an interrupted install is marked UNINSTALLED, as a failed one is). Assumes one adapter
 * owns the registry at a time.
 */
@Injectable()
export class ResumePendingMovesUseCase {
  private readonly logger = new Logger(ResumePendingMovesUseCase.name);

  constructor(
    @Inject(MoveOperationRepository) private readonly moves: MoveOperationRepository,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(MoveProcedure) private readonly procedure: MoveProcedure,
    @Inject(DriverRegistry) private readonly drivers: DriverRegistry,
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(): Promise<ResumeReport> {
    const report: ResumeReport = { moves: [], releasedJobs: [] };
    const pending = await this.moves.listInProgress();
    for (const move of pending) {
      await this.procedure.recover(move, new Error('adapter restarted during the move'));
      const after = await this.moves.findById(move.id);
      report.moves.push({ id: move.id, jobId: move.jobId, state: after?.state ?? 'UNKNOWN' });
    }
    const moving = new Set(pending.map((m) => m.jobId));
    for (const job of await this.jobs.listHeld()) {
      if (moving.has(job.id) || job.operation === null) continue;
      if (job.operation === 'install') {
        const reason = 'install failed: adapter restarted during the install';
        if (this.drivers.has(job.runtime)) {
          await this.drivers
            .get(job.runtime)
            .uninstall(toDriverJob(job))
            .catch(() => undefined);
        }
        await this.access.recordStatus(job, 'UNINSTALLED', reason);
        await this.jobs.release(job.id, 'install', {
          status: 'UNINSTALLED',
          failureReason: reason,
          updatedAt: this.clock.now(),
        });
      } else {
        await this.jobs.release(job.id, job.operation, { updatedAt: this.clock.now() });
      }
      report.releasedJobs.push(job.id);
    }
    if (report.moves.length || report.releasedJobs.length) {
      this.logger.log(
        `resumed ${report.moves.length} move(s), released ${report.releasedJobs.length} job(s)`,
      );
    }
    return report;
  }
}
