import type { PlacementPolicy } from '@ruleshift/contracts';
import type { JobPlacementEntity } from './job-placement.entity';
import type { SampleWindowState } from '../signals/sample-window-state';
import type { PlacementDecisionEntity } from './placement-decision.entity';
import {
  PlacementRepository,
  type DecisionPageRequest,
  type NewPlacementDecision,
} from './placement.repository';

/** Unit tests: the same contract as the TypeORM repository, in memory. */
export class InMemoryPlacementRepository extends PlacementRepository {
  readonly policies = new Map<string, JobPlacementEntity>();
  readonly decisions: PlacementDecisionEntity[] = [];

  find(jobId: string): Promise<JobPlacementEntity | null> {
    const found = this.policies.get(jobId);
    return Promise.resolve(found ? { ...found } : null);
  }

  save(jobId: string, policy: PlacementPolicy, at: Date): Promise<void> {
    const before = this.policies.get(jobId);
    const pausedUntil = before?.pausedUntil ?? null;
    const samples = before?.samples ?? null;
    this.policies.set(jobId, { jobId, policy, pausedUntil, samples, updatedAt: at });
    return Promise.resolve();
  }

  listAuto(): Promise<JobPlacementEntity[]> {
    return Promise.resolve(
      [...this.policies.values()]
        .filter((p) => p.policy.mode === 'auto')
        .sort((a, b) => a.jobId.localeCompare(b.jobId)),
    );
  }

  saveSamples(samples: ReadonlyMap<string, SampleWindowState>): Promise<void> {
    for (const [jobId, state] of samples) {
      const found = this.policies.get(jobId);
      if (found) found.samples = structuredClone(state);
    }
    return Promise.resolve();
  }

  pause(jobId: string, until: Date): Promise<void> {
    const found = this.policies.get(jobId);
    if (found) found.pausedUntil = until;
    return Promise.resolve();
  }

  record(decision: NewPlacementDecision): Promise<PlacementDecisionEntity> {
    const saved = { ...decision, id: String(this.decisions.length + 1) };
    this.decisions.push(saved);
    return Promise.resolve({ ...saved });
  }

  setOutcome(id: string, outcome: string): Promise<void> {
    const found = this.decisions.find((d) => d.id === id);
    if (found) found.outcome = outcome;
    return Promise.resolve();
  }

  page(request: DecisionPageRequest): Promise<PlacementDecisionEntity[]> {
    return Promise.resolve(
      [...this.decisions]
        .reverse()
        .filter((d) => request.jobId === undefined || d.jobId === request.jobId)
        .filter((d) => request.before === undefined || Number(d.id) < Number(request.before))
        .slice(0, request.limit),
    );
  }

  recentMoves(jobId: string, limit: number): Promise<PlacementDecisionEntity[]> {
    return Promise.resolve(
      [...this.decisions]
        .reverse()
        .filter((d) => d.jobId === jobId && d.action === 'move' && !d.dryRun)
        .slice(0, limit),
    );
  }

  movesSince(since: Date): Promise<PlacementDecisionEntity[]> {
    return Promise.resolve(
      this.decisions.filter(
        (d) => d.action === 'move' && !d.dryRun && d.at.getTime() >= since.getTime(),
      ),
    );
  }
}
