import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AtomicFiles } from './atomic-files';
import { nodeFileSystem, type FileSystemPort } from './file-system';
import { RuleStore } from './rule-store';
import { configFor, artifactFor } from '../testing/fakes';
import type { RuleRecord } from './rule-record';

describe('AtomicFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'agent-atomic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the previous content whole when a write dies before the rename', async () => {
    const file = path.join(dir, 'rules', 'a.json');
    await new AtomicFiles(nodeFileSystem).writeJson(file, { version: 1 });

    const crashingFs: FileSystemPort = {
      ...nodeFileSystem,
      rename: () => Promise.reject(new Error('power cut')),
    };
    await expect(new AtomicFiles(crashingFs).writeJson(file, { version: 2 })).rejects.toThrow(
      'power cut',
    );

    const files = new AtomicFiles(nodeFileSystem);
    expect(await files.readJson(file)).toEqual({ version: 1 });
    expect(readdirSync(path.dirname(file))).toEqual(['a.json']);
  });

  it('writes through fsync and rename, replacing the file in one step', async () => {
    const calls: string[] = [];
    const tracingFs: FileSystemPort = {
      ...nodeFileSystem,
      writeFileSynced: (file, data) => {
        calls.push(`write ${path.basename(file).endsWith('.tmp') ? 'temp' : 'final'}`);
        return nodeFileSystem.writeFileSynced(file, data);
      },
      rename: (from, to) => {
        calls.push(`rename to ${path.basename(to)}`);
        return nodeFileSystem.rename(from, to);
      },
    };
    await new AtomicFiles(tracingFs).writeJson(path.join(dir, 'x.json'), { ok: true });
    expect(calls).toEqual(['write temp', 'rename to x.json']);
  });

  it('lists finished records only, ignoring temp files left by a crash', async () => {
    const store = new RuleStore(new AtomicFiles(nodeFileSystem), dir);
    const record: RuleRecord = {
      config: configFor('job-1'),
      artifact: artifactFor(),
      desiredStatus: 'RUNNING',
      installedAt: 't',
      updatedAt: 't',
    };
    await store.save(record);
    writeFileSync(path.join(dir, 'rules', 'job-2.json.abc.tmp'), '{"torn');
    expect(await store.loadAll()).toEqual([record]);
  });

  it('refuses job ids that would escape the data dir', async () => {
    const store = new RuleStore(new AtomicFiles(nodeFileSystem), dir);
    await expect(store.load('../../etc/passwd')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
