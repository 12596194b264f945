import * as path from 'node:path';
import { assertSafeName } from '../shared/safe-name';
import type { AtomicFiles } from './atomic-files';
import type { RuleRecord } from './rule-record';

/** `<dataDir>/rules/<jobId>.json`, one atomic file per rule. */
export class RuleStore {
  private readonly dir: string;

  constructor(
    private readonly files: AtomicFiles,
    dataDir: string,
  ) {
    this.dir = path.join(dataDir, 'rules');
  }

  async loadAll(): Promise<RuleRecord[]> {
    const names = await this.files.listJson(this.dir);
    const records: RuleRecord[] = [];
    for (const name of names) {
      const record = await this.files.readJson<RuleRecord>(path.join(this.dir, name));
      if (record) records.push(record);
    }
    return records;
  }

  async load(jobId: string): Promise<RuleRecord | undefined> {
    return await this.files.readJson<RuleRecord>(this.fileFor(jobId));
  }

  async save(record: RuleRecord): Promise<void> {
    return await this.files.writeJson(this.fileFor(record.config.jobId), record);
  }

  async remove(jobId: string): Promise<void> {
    return await this.files.remove(this.fileFor(jobId));
  }

  private fileFor(jobId: string): string {
    return path.join(this.dir, `${assertSafeName(jobId, 'jobId')}.json`);
  }
}
