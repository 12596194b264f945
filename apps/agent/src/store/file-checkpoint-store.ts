import * as path from 'node:path';
import type { RuleSnapshot } from '@ruleshift/contracts';
import { assertSafeName } from '../shared/safe-name';
import type { AtomicFiles } from './atomic-files';

/**
 * The engine's CheckpointStore on local disk: `<dataDir>/checkpoints/<jobId>.json`. Both the
 * main thread and the rule-host worker use it on the same files; atomic renames make that safe.
 */
export interface CheckpointStorePort {
  load(jobId: string): Promise<RuleSnapshot | undefined>;
  save(snapshot: RuleSnapshot): Promise<void>;
}

export class FileCheckpointStore implements CheckpointStorePort {
  private readonly dir: string;

  constructor(
    private readonly files: AtomicFiles,
    dataDir: string,
  ) {
    this.dir = path.join(dataDir, 'checkpoints');
  }

  async load(jobId: string): Promise<RuleSnapshot | undefined> {
    return await this.files.readJson<RuleSnapshot>(this.fileFor(jobId));
  }

  async save(snapshot: RuleSnapshot): Promise<void> {
    return await this.files.writeJson(this.fileFor(snapshot.jobId), snapshot);
  }

  async remove(jobId: string): Promise<void> {
    return await this.files.remove(this.fileFor(jobId));
  }

  private fileFor(jobId: string): string {
    return path.join(this.dir, `${assertSafeName(jobId, 'jobId')}.json`);
  }
}
