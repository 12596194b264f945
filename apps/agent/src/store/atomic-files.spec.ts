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

  /** A file system that records, in order, the calls that make a write durable. */
  function tracingFileSystem(calls: string[]): FileSystemPort {
    const name = (file: string): string =>
      path.relative(dir, file).replace(/\.[0-9a-f]+\.tmp$/, '.tmp') || '.';
    return {
      ...nodeFileSystem,
      mkdir: async (target) => {
        const created = await nodeFileSystem.mkdir(target);
        calls.push(`mkdir ${name(target)}`);
        return created;
      },
      writeFileSynced: async (file, data) => {
        await nodeFileSystem.writeFileSynced(file, data);
        calls.push(`write+fsync ${name(file)}`);
      },
      rename: async (from, to) => {
        await nodeFileSystem.rename(from, to);
        calls.push(`rename ${name(from)} -> ${name(to)}`);
      },
      syncDir: async (target) => {
        await nodeFileSystem.syncDir(target);
        calls.push(`fsync dir ${name(target)}`);
      },
    };
  }

  it('writes temp, fsyncs it, renames it, then fsyncs the directory that holds the rename', async () => {
    const calls: string[] = [];
    await new AtomicFiles(nodeFileSystem).writeJson(path.join(dir, 'x.json'), { v: 1 });
    await new AtomicFiles(tracingFileSystem(calls)).writeJson(path.join(dir, 'x.json'), {
      ok: true,
    });
    expect(calls).toEqual([
      'mkdir .',
      'write+fsync x.json.tmp',
      'rename x.json.tmp -> x.json',
      'fsync dir .',
    ]);
    expect(await new AtomicFiles(nodeFileSystem).readJson(path.join(dir, 'x.json'))).toEqual({
      ok: true,
    });
  });

  it('fsyncs the parent of every directory it creates before writing into it', async () => {
    const calls: string[] = [];
    const file = path.join(dir, 'a', 'b', 'x.json');
    await new AtomicFiles(tracingFileSystem(calls)).writeJson(file, { ok: true });
    expect(calls).toEqual([
      'mkdir a/b',
      'fsync dir .',
      'fsync dir a',
      'write+fsync a/b/x.json.tmp',
      'rename a/b/x.json.tmp -> a/b/x.json',
      'fsync dir a/b',
    ]);
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
