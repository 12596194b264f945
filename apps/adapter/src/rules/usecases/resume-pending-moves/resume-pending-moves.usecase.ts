import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../../shared/clock';
import { DriverRegistry } from '../../../drivers/driver-registry';
import { JobRepository } from '../../../registry/job.repository';
import { MoveOperationRepository } from '../../../registry/move-operation.repository';
import { JobAccess, toDriverJob } from '../../job-access';
import { MoveProcedure } from '../../move/move-procedure';

export interface ResumeReport {
  moves: { id: string; jobId: string; state: string }[];
  /** Jobs a dead owner held for a non-move operation. */
  releasedJobs: string[];
}

/**
 * The first duty of a new active term: adopts the operations other terms left (this term holds
 * the lease, so their owners are dead or fenced off), then finishes or rolls back each adopted
 * move and lets go of jobs an interrupted start/stop/uninstall held (an interrupted install is
 * marked UNINSTALLED, as a failed one is). Operations of the current term are never touched.
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
    // Jobs first: a move holds its job, and both must belong to this term before it acts.
    const heldJobs = await this.jobs.adoptOrphans();
    const orphanMoves = await this.moves.adoptOrphans();
    for (const move of orphanMoves) {
      await this.procedure.recover(move, new Error('the adapter running the move stopped'));
      const after = await this.moves.findById(move.id);
      report.moves.push({ id: move.id, jobId: move.jobId, state: after?.state ?? 'UNKNOWN' });
    }
    const moving = new Set(orphanMoves.map((m) => m.jobId));
    for (const job of heldJobs) {
      if (moving.has(job.id) || job.operation === null) continue;
      if (job.operation === 'move') {
        // Claimed for a move whose record was never written: nothing ran yet.
        await this.jobs.release(job.id, 'move', { updatedAt: this.clock.now() });
      } else if (job.operation === 'install') {
        const reason = 'install failed: the adapter running the install stopped';
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
