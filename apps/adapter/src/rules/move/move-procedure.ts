import { Inject, Injectable, Logger } from '@nestjs/common';
import { RuleshiftError, type RuleSnapshot } from '@ruleshift/contracts';
import { Clock } from '../../shared/clock';
import { DriverRegistry } from '../../drivers/driver-registry';
import type { RuntimeDriver } from '../../drivers/runtime-driver';
import type { JobEntity } from '../../registry/entities/job.entity';
import {
  MOVE_STEPS,
  type MoveOperationEntity,
  type MoveStep,
} from '../../registry/entities/move-operation.entity';
import { JobRepository } from '../../registry/job.repository';
import { MoveOperationRepository } from '../../registry/move-operation.repository';
import { LeadershipLost } from '../../registry/operation-owner';
import { RegistryRetry } from '../../registry/registry-retry';
import { JobAccess, toDriverJob } from '../job-access';

const reached = (move: MoveOperationEntity, step: MoveStep): boolean =>
  MOVE_STEPS.indexOf(move.step) >= MOVE_STEPS.indexOf(step);

/** Where a recovery left a move. */
export type MoveOutcome = 'DONE' | 'ROLLED_BACK' | 'IN_PROGRESS';

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * The paper's move, made resumable. Each step is persisted before it runs, so after a crash
 * the furthest action that may have happened is known: from INSTALLING on (the source is
 * uninstalled) the move is finished forward, before that it is rolled back to the source.
 * A job therefore ends on exactly one placement; when even recovery fails (a runtime is
 * unreachable) the move stays IN_PROGRESS, the job stays held, and the next term retries.
 * Every step is written before it runs and the write is fenced on this adapter's lease, so an
 * adapter that lost the lease stops at its next step (LeadershipLost) and does not roll back.
 * Registry reads and writes ride out an outage (RegistryRetry): a PostgreSQL restart between two
 * steps delays the move instead of stranding it held with a step done but not recorded.
 */
@Injectable()
export class MoveProcedure {
  private readonly logger = new Logger(MoveProcedure.name);

  constructor(
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(MoveOperationRepository) private readonly moves: MoveOperationRepository,
    @Inject(DriverRegistry) private readonly drivers: DriverRegistry,
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(RegistryRetry) private readonly retry: RegistryRetry,
  ) {}

  /**
   * Runs a freshly created move to the end. On failure it recovers: a move finished forward
   * succeeded after all (its caller must not hear "failed"); otherwise the error is rethrown.
   */
  async run(move: MoveOperationEntity): Promise<void> {
    const job = await this.load(move.jobId);
    try {
      await this.forward(job, move);
    } catch (err) {
      this.logger.warn(
        `move ${move.id} of job ${job.id} failed at ${move.step}: ${messageOf(err)}`,
      );
      // Fenced off: the active adapter adopts the move; this one must not act on it any more.
      if (err instanceof LeadershipLost) throw err;
      if ((await this.recover(move, err)) === 'DONE') return;
      throw err;
    }
  }

  /**
   * Brings an interrupted move to DONE or ROLLED_BACK and says which; IN_PROGRESS when even
   * that failed (the move stays held for a later recovery). Never throws.
   */
  async recover(move: MoveOperationEntity, cause?: unknown): Promise<MoveOutcome> {
    let job: JobEntity;
    try {
      job = await this.load(move.jobId);
    } catch (err) {
      this.logger.error(`move ${move.id} left pending, its job unreadable: ${messageOf(err)}`);
      return 'IN_PROGRESS';
    }
    try {
      if (reached(move, 'INSTALLING')) {
        try {
          await this.forward(job, move, true);
          return 'DONE';
        } catch (err) {
          if (err instanceof LeadershipLost) throw err;
          this.logger.warn(`move ${move.id}: finishing forward failed: ${messageOf(err)}`);
        }
      }
      await this.rollback(job, move, cause);
      return 'ROLLED_BACK';
    } catch (err) {
      this.logger.error(`move ${move.id} of job ${job.id} left pending: ${messageOf(err)}`);
      if (err instanceof LeadershipLost) return 'IN_PROGRESS';
      await this.moves
        .update(move.id, { error: messageOf(err), updatedAt: this.clock.now() })
        .catch((updateErr: unknown) => {
          this.logger.error(`move ${move.id}: error not recorded: ${messageOf(updateErr)}`);
        });
      return 'IN_PROGRESS';
    }
  }

  private load(jobId: string): Promise<JobEntity> {
    return this.access.reload(jobId);
  }

  private async forward(job: JobEntity, move: MoveOperationEntity, resuming = false) {
    const source = this.drivers.get(move.fromRuntime, 'jobInfo.runtime');
    const target = this.drivers.get(move.toRuntime, 'target_runtime');
    const at = { runtime: move.toRuntime, targetResource: move.toResource };
    if (move.step === 'STOPPING') {
      const snapshot = await source.stop(toDriverJob(job), { exportState: move.carryState });
      await this.advance(move, 'UNINSTALLING', snapshot ?? move.snapshot);
    }
    if (move.step === 'UNINSTALLING') {
      // A stop that ran already handed the state over; a rule that was not running hands it here.
      const exportState = move.carryState && !(move.wasRunning && move.snapshot);
      const snapshot = await source.uninstall(toDriverJob(job), { exportState });
      await this.advance(move, 'INSTALLING', snapshot ?? move.snapshot);
    }
    if (move.step === 'INSTALLING') {
      // The install may have reached the target before the crash.
      if (resuming) await this.uninstallIfPresent(target, job, at);
      const snapshot = move.carryState ? (move.snapshot ?? undefined) : undefined;
      await target.install(toDriverJob(job, at), job.config, snapshot);
      if (move.wasRunning) await this.advance(move, 'STARTING', move.snapshot);
    }
    if (move.step === 'STARTING') {
      await target.start(toDriverJob(job, at));
    }
    await this.finish(job, move);
  }

  private async rollback(job: JobEntity, move: MoveOperationEntity, cause: unknown) {
    const source = this.drivers.get(move.fromRuntime, 'jobInfo.runtime');
    const at = { runtime: move.toRuntime, targetResource: move.toResource };
    if (reached(move, 'INSTALLING')) {
      await this.uninstallIfPresent(this.drivers.get(move.toRuntime, 'target_runtime'), job, at);
    }
    // An evacuation never touched its lost source: the rule stays recorded there, as it was.
    if (reached(move, 'UNINSTALLING') && !move.sourceLost) {
      // The source may or may not still hold the rule: clear it, then install it back.
      const snapshot = (await this.uninstallIfPresent(source, job, job)) ?? move.snapshot;
      await source.install(toDriverJob(job), job.config, snapshot ?? undefined);
    }
    if (move.wasRunning && !move.sourceLost) await source.start(toDriverJob(job));
    const reason = `move to ${move.toRuntime}/${move.toResource} rolled back: ${messageOf(cause)}`;
    await this.retry.run(`move ${move.id}`, () =>
      this.moves.update(move.id, {
        state: 'ROLLED_BACK',
        error: messageOf(cause),
        updatedAt: this.clock.now(),
      }),
    );
    await this.access.recordStatus(job, job.status, reason);
    const failed = this.access.eventOf(job, 'failed', { operation: 'move', reason });
    await this.retry.run(`move ${move.id}`, () =>
      this.jobs.release(job.id, 'move', { updatedAt: this.clock.now() }, [failed]),
    );
    await this.access.publishCommitted();
  }

  private async finish(job: JobEntity, move: MoveOperationEntity) {
    const placed = { ...job, runtime: move.toRuntime, targetResource: move.toResource };
    const status = move.wasRunning ? 'RUNNING' : job.status;
    const dropped = move.dropsState ? '; window state dropped' : '';
    const why = move.reason ? ` (${move.reason})` : '';
    const what = `move ${move.id}`;
    await this.retry.run(what, () =>
      this.moves.update(move.id, { state: 'DONE', error: null, updatedAt: this.clock.now() }),
    );
    await this.access.recordStatus(
      placed,
      status,
      `moved from ${move.fromRuntime}/${move.fromResource}${dropped}${why}`,
    );
    const moved = this.access.eventOf({ ...placed, status }, 'moved', {
      from: { runtime: move.fromRuntime, targetResource: move.fromResource },
      ...(move.reason ? { reason: move.reason } : {}),
    });
    await this.retry.run(what, () =>
      this.jobs.release(
        job.id,
        'move',
        {
          runtime: move.toRuntime,
          targetResource: move.toResource,
          status,
          snapshot: move.carryState && !move.wasRunning ? move.snapshot : null,
          updatedAt: this.clock.now(),
        },
        [moved],
      ),
    );
    await this.access.publishCommitted();
  }

  private async advance(
    move: MoveOperationEntity,
    step: MoveStep,
    snapshot: RuleSnapshot | null | undefined,
  ) {
    move.step = step;
    move.snapshot = snapshot ?? null;
    await this.retry.run(`move ${move.id}`, () =>
      this.moves.update(move.id, {
        step,
        snapshot: move.snapshot,
        updatedAt: this.clock.now(),
      }),
    );
  }

  /**
   * Uninstall that treats a refusal (the runtime answered: it does not have the rule) as done.
   * An unreachable runtime still throws: the rule might be running there.
   */
  private async uninstallIfPresent(
    driver: RuntimeDriver,
    job: JobEntity,
    at: Pick<JobEntity, 'runtime' | 'targetResource'>,
  ): Promise<RuleSnapshot | undefined> {
    try {
      return await driver.uninstall(toDriverJob(job, at));
    } catch (err) {
      if (err instanceof RuleshiftError && err.code === 'RUNTIME_ERROR') return undefined;
      throw err;
    }
  }
}
