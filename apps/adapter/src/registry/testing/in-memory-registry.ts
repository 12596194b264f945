import type { RuntimeKind } from '@ruleshift/contracts';
import type { JobStatusHistoryEntity } from '../entities/job-status-history.entity';
import type { JobEntity, JobOperation } from '../entities/job.entity';
import type { MoveOperationEntity } from '../entities/move-operation.entity';
import type { RuntimeEntity } from '../entities/runtime.entity';
import type { TemplateEntity } from '../entities/template.entity';
import { DatabaseProbe } from '../database-probe';
import { type HistoryEntry, type JobPatch, JobRepository } from '../job.repository';
import { type MovePatch, MoveOperationRepository } from '../move-operation.repository';
import { RuntimeRepository } from '../runtime.repository';
import { TemplateRepository } from '../template.repository';

/** Fakes with the same semantics as the TypeORM repositories, for use-case unit tests. */
const copy = <T>(value: T): T => structuredClone(value);

export class InMemoryJobRepository extends JobRepository {
  readonly rows = new Map<string, JobEntity>();
  readonly historyRows: JobStatusHistoryEntity[] = [];

  findById(id: string): Promise<JobEntity | null> {
    const row = this.rows.get(id);
    return Promise.resolve(row ? copy(row) : null);
  }

  list(): Promise<JobEntity[]> {
    return Promise.resolve([...this.rows.values()].map(copy));
  }

  listHeld(): Promise<JobEntity[]> {
    return Promise.resolve([...this.rows.values()].filter((j) => j.operation !== null).map(copy));
  }

  findQueueReaders(endpoint: string, queue: string, exceptId: string): Promise<string[]> {
    const readers = [...this.rows.values()].filter((job) => {
      if (job.id === exceptId || (job.status === 'UNINSTALLED' && job.operation === null)) {
        return false;
      }
      const c = job.config.connectors;
      const inputs = [{ endpoint: c.inputEndpoint, queue: c.inputQueue }, c.secondInput];
      return inputs.some((i) => i?.endpoint === endpoint && i.queue === queue);
    });
    return Promise.resolve(readers.map((job) => job.id));
  }

  insert(job: JobEntity): Promise<void> {
    if (this.rows.has(job.id)) return Promise.reject(new Error(`duplicate job ${job.id}`));
    this.rows.set(job.id, copy(job));
    return Promise.resolve();
  }

  claim(id: string, operation: JobOperation, expectedVersion: number): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.operation !== null || row.version !== expectedVersion) {
      return Promise.resolve(false);
    }
    row.operation = operation;
    row.version += 1;
    return Promise.resolve(true);
  }

  updateHeld(id: string, operation: JobOperation, patch: JobPatch): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.operation !== operation) return Promise.resolve(false);
    Object.assign(row, copy(patch), { version: row.version + 1 });
    return Promise.resolve(true);
  }

  release(id: string, operation: JobOperation, patch: JobPatch = {}): Promise<void> {
    const row = this.rows.get(id);
    if (row && row.operation === operation) {
      Object.assign(row, copy(patch), { operation: null, version: row.version + 1 });
    }
    return Promise.resolve();
  }

  updateIdle(id: string, patch: JobPatch): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.operation !== null) return Promise.resolve(false);
    Object.assign(row, copy(patch), { version: row.version + 1 });
    return Promise.resolve(true);
  }

  appendHistory(entry: HistoryEntry): Promise<void> {
    this.historyRows.push({ ...copy(entry), id: this.historyRows.length + 1 });
    return Promise.resolve();
  }

  history(jobId: string): Promise<JobStatusHistoryEntity[]> {
    return Promise.resolve(this.historyRows.filter((h) => h.jobId === jobId).map(copy));
  }
}

export class InMemoryRuntimeRepository extends RuntimeRepository {
  readonly rows = new Map<string, RuntimeEntity>();

  private key(kind: RuntimeKind, name: string): string {
    return `${kind}/${name}`;
  }

  find(kind: RuntimeKind, targetResource: string): Promise<RuntimeEntity | null> {
    const row = this.rows.get(this.key(kind, targetResource));
    return Promise.resolve(row ? copy(row) : null);
  }

  list(): Promise<RuntimeEntity[]> {
    return Promise.resolve([...this.rows.values()].map(copy));
  }

  upsert(runtime: RuntimeEntity): Promise<void> {
    this.rows.set(this.key(runtime.kind, runtime.targetResource), copy(runtime));
    return Promise.resolve();
  }

  markUnreachableSeenBefore(kind: RuntimeKind, cutoff: Date): Promise<string[]> {
    const names: string[] = [];
    for (const row of this.rows.values()) {
      if (row.kind === kind && row.health === 'UP' && row.lastSeenAt && row.lastSeenAt < cutoff) {
        row.health = 'UNREACHABLE';
        names.push(row.targetResource);
      }
    }
    return Promise.resolve(names);
  }
}

export class InMemoryTemplateRepository extends TemplateRepository {
  readonly rows = new Map<string, TemplateEntity>();

  upsertAll(templates: TemplateEntity[]): Promise<void> {
    for (const t of templates) this.rows.set(`${t.jobType}@${t.version}`, copy(t));
    return Promise.resolve();
  }

  list(): Promise<TemplateEntity[]> {
    return Promise.resolve([...this.rows.values()].map(copy));
  }
}

export class InMemoryMoveOperationRepository extends MoveOperationRepository {
  readonly rows = new Map<string, MoveOperationEntity>();

  insert(move: MoveOperationEntity): Promise<void> {
    const clash = [...this.rows.values()].some(
      (m) => m.jobId === move.jobId && m.state === 'IN_PROGRESS',
    );
    if (clash) return Promise.reject(new Error(`job ${move.jobId} already has a move`));
    this.rows.set(move.id, copy(move));
    return Promise.resolve();
  }

  update(id: string, patch: MovePatch): Promise<void> {
    const row = this.rows.get(id);
    if (row) Object.assign(row, copy(patch));
    return Promise.resolve();
  }

  findById(id: string): Promise<MoveOperationEntity | null> {
    const row = this.rows.get(id);
    return Promise.resolve(row ? copy(row) : null);
  }

  listInProgress(): Promise<MoveOperationEntity[]> {
    return Promise.resolve(
      [...this.rows.values()].filter((m) => m.state === 'IN_PROGRESS').map(copy),
    );
  }

  findInProgressForJob(jobId: string): Promise<MoveOperationEntity | null> {
    const row = [...this.rows.values()].find((m) => m.jobId === jobId && m.state === 'IN_PROGRESS');
    return Promise.resolve(row ? copy(row) : null);
  }
}

export class FakeDatabaseProbe extends DatabaseProbe {
  failure: Error | null = null;

  ping(): Promise<void> {
    return this.failure ? Promise.reject(this.failure) : Promise.resolve();
  }
}
