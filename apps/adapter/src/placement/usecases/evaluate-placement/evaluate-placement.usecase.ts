import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  RuleshiftError,
  candidateOf,
  placementOf,
  resolvePlacementPolicy,
  type ResolvedPlacementPolicy,
} from '@ruleshift/contracts';
import type { JobEntity } from '../../../registry/entities/job.entity';
import { JobRepository } from '../../../registry/job.repository';
import { MoveStarter } from '../../../rules/move/move-starter';
import { Clock } from '../../../shared/clock';
import { CandidateFitness } from '../../candidate-fitness';
import type { JobPlacementEntity } from '../../persistence/job-placement.entity';
import type { PlacementDecisionEntity } from '../../persistence/placement-decision.entity';
import { PlacementRepository } from '../../persistence/placement.repository';
import {
  decidePlacement,
  type PastMove,
  type PlacementHistory,
  type PlacementVerdict,
} from '../../policy/decide-placement';
import { PlacementSignalSource, type RuntimeReading } from '../../signals/placement-signal-source';
import { SampleWindow } from '../../signals/sample-window';
import type { SampleWindowState } from '../../signals/sample-window-state';

const HOUR_MS = 3600_000;
/**
 * Samples another adapter kept are used by one taking over when taken this recently: a failover
 * takes about a lease TTL (10 s by default) and a window of 5 samples 25 s.
 */
export const KEPT_SAMPLES_MAX_AGE_MS = 60_000;
/** Moves of a rule read back for its history: enough for an hour's limit and the last overload. */
const HISTORY_MOVES = 50;

const counts = (outcome: string | null): boolean => outcome === null || outcome === 'done';

/**
 * One round of the placement service: samples every RUNNING rule with an auto policy, decides
 * (decidePlacement), records moves and close non-decisions, and moves. A rule an operation
 * holds (an operator's start, stop, move, uninstall) is skipped, and the move itself claims the
 * rule like any operation, so an operator who got there first wins (the move is recorded
 * `skipped`). Rounds never overlap (PeriodicDuty).
 */
@Injectable()
export class EvaluatePlacementUseCase {
  private readonly logger = new Logger(EvaluatePlacementUseCase.name);
  /** Per rule, what was recorded last: a persisting condition is recorded once per cooldown. */
  private readonly lastRecorded = new Map<string, { key: string; at: number }>();

  constructor(
    @Inject(PlacementRepository) private readonly placements: PlacementRepository,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(PlacementSignalSource) private readonly signals: PlacementSignalSource,
    @Inject(SampleWindow) private readonly window: SampleWindow,
    @Inject(CandidateFitness) private readonly fitness: CandidateFitness,
    @Inject(MoveStarter) private readonly mover: MoveStarter,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Returns the decisions recorded in this round. */
  async execute(): Promise<PlacementDecisionEntity[]> {
    const autos = await this.placements.listAuto();
    const runtimes = await this.signals.runtimes();
    const runtimeMoves = await this.runtimeMovesLastHour();
    const evaluated = new Set<string>();
    const recorded: PlacementDecisionEntity[] = [];
    for (const row of autos) {
      const policy = resolvePlacementPolicy(row.policy);
      const job = await this.jobs.findById(row.jobId);
      if (!policy || !job || job.status !== 'RUNNING' || job.operation !== null) continue;
      evaluated.add(job.id);
      try {
        const decision = await this.evaluate(job, policy, row, runtimes, runtimeMoves);
        if (decision) recorded.push(decision);
      } catch (error) {
        this.logger.error(`placement of job ${job.id} not evaluated: ${String(error)}`);
      }
    }
    this.window.retain(evaluated);
    await this.keepSamples(evaluated);
    for (const jobId of this.lastRecorded.keys()) {
      if (!evaluated.has(jobId)) this.lastRecorded.delete(jobId);
    }
    return recorded;
  }

  private async evaluate(
    job: JobEntity,
    policy: ResolvedPlacementPolicy,
    row: JobPlacementEntity,
    runtimes: Map<string, RuntimeReading>,
    runtimeMoves: Record<string, number>,
  ): Promise<PlacementDecisionEntity | undefined> {
    const now = this.clock.now().getTime();
    const current = candidateOf(job.runtime, job.targetResource);
    const reading = await this.signals.rule(job);
    // An adapter that just took over goes on from the samples the previous one kept.
    if (!this.window.has(job.id) && row.samples) {
      this.window.seed(job.id, row.samples, now - KEPT_SAMPLES_MAX_AGE_MS);
    }
    const samples = this.window.add(job.id, current, reading, runtimes.get(current));
    const candidates = Object.fromEntries(
      policy.candidates.map((c) => [c, runtimes.get(c) ?? { health: 'UNKNOWN' }]),
    );
    const sourceLost = (runtimes.get(current)?.health ?? 'UNKNOWN') !== 'UP';
    const history = await this.history(job.id, row.pausedUntil, runtimeMoves);
    const verdict = decidePlacement({
      now,
      policy,
      current,
      samples,
      candidates,
      unfit: this.fitness.unfit(job, policy, sourceLost),
      slotsNeeded: job.config.parallelism ?? 1,
      history,
    });
    const signals = samples[samples.length - 1]?.signals ?? {};
    if (verdict.action === 'stay') {
      if (!verdict.close || !this.worthRecording(job.id, verdict, now, policy)) return undefined;
      return this.placements.record({
        jobId: job.id,
        at: new Date(now),
        action: 'stay',
        kind: 'hold',
        fromPlacement: current,
        toPlacement: null,
        reason: verdict.reason,
        dryRun: policy.dryRun,
        outcome: null,
        capacityPerS: null,
        signals,
      });
    }
    if (policy.dryRun && !this.worthRecording(job.id, verdict, now, policy)) return undefined;
    const decision = await this.placements.record({
      jobId: job.id,
      at: new Date(now),
      action: 'move',
      kind: verdict.kind,
      fromPlacement: current,
      toPlacement: verdict.to,
      reason: verdict.reason,
      dryRun: policy.dryRun,
      outcome: null,
      capacityPerS: verdict.capacityPerS ?? null,
      signals,
    });
    if (policy.dryRun) return decision;
    this.lastRecorded.set(job.id, { key: keyOf(verdict), at: now });
    decision.outcome = await this.move(job, verdict, policy);
    await this.placements.setOutcome(decision.id, decision.outcome);
    if (decision.outcome === 'done') {
      runtimeMoves[current] = (runtimeMoves[current] ?? 0) + 1;
      runtimeMoves[verdict.to] = (runtimeMoves[verdict.to] ?? 0) + 1;
    }
    return decision;
  }

  /**
   * Keeps the round's samples for an adapter that takes over, in one write after every rule was
   * decided. Bookkeeping only: a registry that refuses it costs a successor some samples, and
   * must not cost a rule its decision.
   */
  private async keepSamples(jobIds: Set<string>): Promise<void> {
    const states = new Map<string, SampleWindowState>();
    for (const jobId of jobIds) {
      const state = this.window.state(jobId);
      if (state) states.set(jobId, state);
    }
    if (states.size === 0) return;
    try {
      await this.placements.saveSamples(states);
    } catch (error) {
      this.logger.warn(`placement samples of ${states.size} rule(s) not kept: ${String(error)}`);
    }
  }

  private async move(
    job: JobEntity,
    verdict: Extract<PlacementVerdict, { action: 'move' }>,
    policy: ResolvedPlacementPolicy,
  ): Promise<string> {
    try {
      await this.mover.run(job, placementOf(verdict.to), {
        // The policy's dropState permits a drop where the state cannot move; elsewhere it moves.
        mayDropState: policy.dropState,
        sourceLost: verdict.kind === 'evacuate',
        reason: `placement policy, ${verdict.kind}: ${verdict.reason}`,
      });
      this.logger.log(`job ${job.id} moved to ${verdict.to} (${verdict.kind}: ${verdict.reason})`);
      return 'done';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof RuleshiftError && error.code === 'CONFLICT') {
        return `skipped: ${message}`;
      }
      this.logger.warn(`placement move of job ${job.id} to ${verdict.to} failed: ${message}`);
      return `failed: ${message}`;
    }
  }

  private async history(
    jobId: string,
    pausedUntil: Date | null,
    runtimeMoves: Record<string, number>,
  ): Promise<PlacementHistory> {
    const recent = (await this.placements.recentMoves(jobId, HISTORY_MOVES)).reverse();
    const moves: PastMove[] = recent
      .filter((d) => counts(d.outcome) && d.toPlacement !== null)
      .map((d) => ({
        at: new Date(d.at).getTime(),
        from: d.fromPlacement,
        to: d.toPlacement!,
        kind: d.kind === 'hold' ? 'overload' : d.kind,
        ...(d.capacityPerS !== null ? { capacityPerS: d.capacityPerS } : {}),
      }));
    const failedTargets = recent
      .filter((d) => d.outcome?.startsWith('failed') && d.toPlacement !== null)
      .map((d) => ({ at: new Date(d.at).getTime(), target: d.toPlacement! }));
    return {
      moves,
      failedTargets,
      runtimeMovesLastHour: runtimeMoves,
      ...(pausedUntil ? { pausedUntil: new Date(pausedUntil).getTime() } : {}),
    };
  }

  private async runtimeMovesLastHour(): Promise<Record<string, number>> {
    const since = new Date(this.clock.now().getTime() - HOUR_MS);
    const moves: Record<string, number> = {};
    for (const d of await this.placements.movesSince(since)) {
      if (!counts(d.outcome) || d.toPlacement === null) continue;
      moves[d.fromPlacement] = (moves[d.fromPlacement] ?? 0) + 1;
      moves[d.toPlacement] = (moves[d.toPlacement] ?? 0) + 1;
    }
    return moves;
  }

  /** A verdict like the last recorded one is recorded again only after the cooldown. */
  private worthRecording(
    jobId: string,
    verdict: PlacementVerdict,
    now: number,
    policy: ResolvedPlacementPolicy,
  ): boolean {
    const key = keyOf(verdict);
    const last = this.lastRecorded.get(jobId);
    if (last && last.key === key && now - last.at < Math.max(policy.thresholds.cooldownMs, 1)) {
      return false;
    }
    this.lastRecorded.set(jobId, { key, at: now });
    return true;
  }
}

/** A verdict's kind of reason: the reason without its figures and instants. */
const keyOf = (verdict: PlacementVerdict): string =>
  `${verdict.action}:${verdict.action === 'move' ? `${verdict.kind}:${verdict.to}` : ''}:` +
  verdict.reason.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z|\d+(\.\d+)?/g, '#');
