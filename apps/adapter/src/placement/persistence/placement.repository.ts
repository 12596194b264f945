import { DataSource, type Repository } from 'typeorm';
import type { PlacementPolicy } from '@ruleshift/contracts';
import { row } from '../../registry/query-row';
import type { SampleWindowState } from '../signals/sample-window-state';
import { JobPlacementEntity } from './job-placement.entity';
import { PlacementDecisionEntity } from './placement-decision.entity';

export type NewPlacementDecision = Omit<PlacementDecisionEntity, 'id'>;

export interface DecisionPageRequest {
  jobId?: string;
  limit: number;
  /** Only decisions with a smaller id. */
  before?: string;
}

/** Rules' placement policies and the placement service's decisions. */
export abstract class PlacementRepository {
  abstract find(jobId: string): Promise<JobPlacementEntity | null>;
  /** Sets (or replaces) the rule's policy; a pause in force stays. */
  abstract save(jobId: string, policy: PlacementPolicy, at: Date): Promise<void>;
  /** Every rule whose policy is `auto`. */
  abstract listAuto(): Promise<JobPlacementEntity[]>;
  /**
   * Keeps each rule's recent samples, all in one transaction (a rule without a policy is left as
   * it is).
   */
  abstract saveSamples(samples: ReadonlyMap<string, SampleWindowState>): Promise<void>;
  /** Pauses the policy of a rule that has one; a rule without a policy is left as it is. */
  abstract pause(jobId: string, until: Date): Promise<void>;
  abstract record(decision: NewPlacementDecision): Promise<PlacementDecisionEntity>;
  abstract setOutcome(id: string, outcome: string): Promise<void>;
  /** Newest first. */
  abstract page(request: DecisionPageRequest): Promise<PlacementDecisionEntity[]>;
  /** The rule's real (not dry-run) moves, newest first, at most `limit`. */
  abstract recentMoves(jobId: string, limit: number): Promise<PlacementDecisionEntity[]>;
  /** Real moves of every rule decided at or after `since`. */
  abstract movesSince(since: Date): Promise<PlacementDecisionEntity[]>;
}

/** bigint ids come back as text from PostgreSQL and as numbers from PGlite: always text. */
const withTextId = (rows: PlacementDecisionEntity[]): PlacementDecisionEntity[] =>
  rows.map((d) => ({ ...d, id: String(d.id) }));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class TypeormPlacementRepository extends PlacementRepository {
  private readonly policies: Repository<JobPlacementEntity>;
  private readonly decisions: Repository<PlacementDecisionEntity>;

  constructor(dataSource: DataSource) {
    super();
    this.policies = dataSource.getRepository(JobPlacementEntity);
    this.decisions = dataSource.getRepository(PlacementDecisionEntity);
  }

  find(jobId: string): Promise<JobPlacementEntity | null> {
    if (!UUID.test(jobId)) return Promise.resolve(null);
    return this.policies.findOneBy({ jobId });
  }

  async save(jobId: string, policy: PlacementPolicy, at: Date): Promise<void> {
    await this.policies
      .createQueryBuilder()
      .insert()
      .into(JobPlacementEntity)
      .values(
        row<JobPlacementEntity>({ jobId, policy, pausedUntil: null, samples: null, updatedAt: at }),
      )
      .orUpdate(['policy', 'updated_at'], ['job_id'])
      .execute();
  }

  listAuto(): Promise<JobPlacementEntity[]> {
    return this.policies
      .createQueryBuilder('p')
      .where(`p.policy->>'mode' = 'auto'`)
      .orderBy('p.job_id', 'ASC')
      .getMany();
  }

  async pause(jobId: string, until: Date): Promise<void> {
    await this.policies.update({ jobId }, { pausedUntil: until });
  }

  async saveSamples(samples: ReadonlyMap<string, SampleWindowState>): Promise<void> {
    await this.policies.manager.transaction(async (manager) => {
      for (const [jobId, state] of samples) {
        await manager.update(JobPlacementEntity, { jobId }, { samples: state });
      }
    });
  }

  async record(decision: NewPlacementDecision): Promise<PlacementDecisionEntity> {
    const saved = await this.decisions.save(this.decisions.create(decision));
    return { ...saved, id: String(saved.id) };
  }

  async setOutcome(id: string, outcome: string): Promise<void> {
    await this.decisions.update({ id }, { outcome });
  }

  page(request: DecisionPageRequest): Promise<PlacementDecisionEntity[]> {
    const query = this.decisions
      .createQueryBuilder('d')
      .orderBy('d.id', 'DESC')
      .limit(request.limit);
    if (request.jobId !== undefined) query.andWhere('d.job_id = :jobId', { jobId: request.jobId });
    if (request.before !== undefined) query.andWhere('d.id < :before', { before: request.before });
    return query.getMany().then(withTextId);
  }

  recentMoves(jobId: string, limit: number): Promise<PlacementDecisionEntity[]> {
    return this.decisions
      .createQueryBuilder('d')
      .where(`d.job_id = :jobId AND d.action = 'move' AND NOT d.dry_run`, { jobId })
      .orderBy('d.id', 'DESC')
      .limit(limit)
      .getMany()
      .then(withTextId);
  }

  movesSince(since: Date): Promise<PlacementDecisionEntity[]> {
    return this.decisions
      .createQueryBuilder('d')
      .where(`d.action = 'move' AND NOT d.dry_run AND d.at >= :since`, {
        since: since.toISOString(),
      })
      .orderBy('d.id', 'ASC')
      .getMany()
      .then(withTextId);
  }
}
