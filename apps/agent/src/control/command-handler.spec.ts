import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AgentReply, RuleConfig } from '@ruleshift/contracts';
import { BundleCache } from '../bundles/bundle-cache';
import { InlineRuleHost } from '../host/inline-rule-host';
import { RuleManager } from '../rules/rule-manager';
import { silentLogger } from '../shared/logger';
import { AtomicFiles } from '../store/atomic-files';
import { FileCheckpointStore } from '../store/file-checkpoint-store';
import { nodeFileSystem } from '../store/file-system';
import { RuleStore } from '../store/rule-store';
import {
  FakeRunners,
  artifactFor,
  configFor,
  countingFetch,
  eventuallyAsync,
  snapshotOf,
  TEST_TRUST,
} from '../testing/fakes';
import { CommandHandler } from './command-handler';

describe('CommandHandler', () => {
  let dir: string;
  let runners: FakeRunners;
  let declared: RuleConfig[];
  let downloads: string[];
  let handler: CommandHandler;
  let store: RuleStore;
  let checkpoints: FileCheckpointStore;
  let rulesWith: (options?: { redeclareTopologyBeforeRun?: boolean }) => RuleManager;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'agent-commands-'));
    runners = new FakeRunners();
    declared = [];
    const fetch = countingFetch();
    downloads = fetch.calls;
    const files = new AtomicFiles(nodeFileSystem);
    store = new RuleStore(files, dir);
    checkpoints = new FileCheckpointStore(files, dir);
    rulesWith = (options = {}) =>
      new RuleManager({
        store,
        checkpoints,
        bundles: new BundleCache(files, dir, fetch.fetchArtifact, TEST_TRUST),
        host: new InlineRuleHost(runners.factory),
        declareTopology: (config) => {
          declared.push(config);
          return Promise.resolve();
        },
        logger: silentLogger,
        ...options,
      });
    handler = new CommandHandler(rulesWith());
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const install = (jobId: string, threshold = 10, snapshot?: ReturnType<typeof snapshotOf>) =>
    handler.handle({
      type: 'install',
      config: configFor(jobId, threshold),
      artifact: artifactFor(),
      snapshot,
    });
  const ok = (reply: AgentReply) => {
    if (!reply.ok) throw new Error(`expected ok, got ${reply.error.code}: ${reply.error.message}`);
    return reply;
  };

  it('installs: downloads the bundle, declares the topology, persists the record', async () => {
    const reply = ok(await install('job-1'));
    expect(reply.rule).toMatchObject({ jobId: 'job-1', jobType: 'filter', status: 'INSTALLED' });
    expect(declared.map((c) => c.jobId)).toEqual(['job-1']);
    expect(downloads).toHaveLength(1);
    expect(await store.load('job-1')).toMatchObject({ desiredStatus: 'INSTALLED' });
  });

  it('declares the topology at install only, or before every run when the brokers may forget it', async () => {
    ok(await install('job-1'));
    ok(await handler.handle({ type: 'start', jobId: 'job-1' }));
    expect(declared.map((c) => c.jobId)).toEqual(['job-1']);

    ok(await handler.handle({ type: 'stop', jobId: 'job-1' }));
    ok(await handler.handle({ type: 'start', jobId: 'job-1' }));
    // The next boot after a crash, on brokers that forgot it (npm start's in-process broker).
    const rebooted = rulesWith({ redeclareTopologyBeforeRun: true });
    await rebooted.loadRecords();
    await rebooted.resumeRunning();
    expect(rebooted.states()).toMatchObject([{ jobId: 'job-1', status: 'RUNNING' }]);
    expect(declared.map((c) => c.jobId)).toEqual(['job-1', 'job-1']);
    await rebooted.stop('job-1');
    await rebooted.start('job-1');
    expect(declared.map((c) => c.jobId)).toEqual(['job-1', 'job-1', 'job-1']);
  });

  it('accepts a repeated identical install and refuses a different one with CONFLICT', async () => {
    ok(await install('job-1'));
    expect(ok(await install('job-1')).rule?.status).toBe('INSTALLED');
    expect(await install('job-1', 99)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('reuses the cached bundle for a second rule of the same template', async () => {
    ok(await install('job-1'));
    ok(await install('job-2'));
    expect(downloads).toHaveLength(1);
  });

  it('refuses an artifact whose sha256 does not match and records nothing', async () => {
    const reply = await handler.handle({
      type: 'install',
      config: configFor('job-1'),
      artifact: artifactFor('0'.repeat(64)),
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(await store.load('job-1')).toBeUndefined();
  });

  it('starts with the install-time snapshot and answers a repeated start with the current state', async () => {
    ok(await install('job-1', 10, snapshotOf('job-1', 42)));
    expect(ok(await handler.handle({ type: 'start', jobId: 'job-1' })).rule?.status).toBe(
      'RUNNING',
    );
    expect(runners.started).toEqual([{ jobId: 'job-1', snapshot: snapshotOf('job-1', 42) }]);

    const again = ok(await handler.handle({ type: 'start', jobId: 'job-1' }));
    expect(again.rule).toMatchObject({ status: 'RUNNING', metrics: { eventsIn: 42 } });
    expect(runners.started).toHaveLength(1);
    expect(await store.load('job-1')).toMatchObject({ desiredStatus: 'RUNNING' });
  });

  it('stops: returns the final snapshot, records STOPPED, and a later start resumes from it', async () => {
    ok(await install('job-1'));
    ok(await handler.handle({ type: 'start', jobId: 'job-1' }));
    runners.live.get('job-1')!.eventsIn = 7;

    const stopped = ok(await handler.handle({ type: 'stop', jobId: 'job-1' }));
    expect(stopped.snapshot).toMatchObject({ jobId: 'job-1', state: { eventsIn: 7 } });
    expect(stopped.rule?.status).toBe('STOPPED');
    expect(await store.load('job-1')).toMatchObject({ desiredStatus: 'STOPPED' });

    ok(await handler.handle({ type: 'start', jobId: 'job-1' }));
    expect(runners.started[1].snapshot).toMatchObject({ state: { eventsIn: 7 } });
  });

  it('uninstalls: stops the rule, replies with its snapshot, deletes record and checkpoint', async () => {
    ok(await install('job-1'));
    ok(await handler.handle({ type: 'start', jobId: 'job-1' }));
    runners.live.get('job-1')!.eventsIn = 3;

    const reply = ok(await handler.handle({ type: 'uninstall', jobId: 'job-1' }));
    expect(reply.snapshot).toMatchObject({ state: { eventsIn: 3 } });
    expect(runners.live.has('job-1')).toBe(false);
    expect(await store.load('job-1')).toBeUndefined();
    expect(existsSync(path.join(dir, 'checkpoints', 'job-1.json'))).toBe(false);
    expect(ok(await handler.handle({ type: 'status' })).rules).toEqual([]);
    // A retried uninstall (lost reply) still succeeds.
    expect(ok(await handler.handle({ type: 'uninstall', jobId: 'job-1' })).rule).toBeUndefined();
  });

  it('reports every rule in status, and a runner failure as FAILED with its reason', async () => {
    ok(await install('job-1'));
    ok(await install('job-2'));
    ok(await handler.handle({ type: 'start', jobId: 'job-2' }));
    runners.live.get('job-2')!.fail('broker channel closed');
    await eventuallyAsync(
      async () => (await store.load('job-2'))?.desiredStatus === 'FAILED',
      'FAILED recorded on disk',
    );

    const { rules } = ok(await handler.handle({ type: 'status' }));
    expect(rules).toEqual([
      expect.objectContaining({ jobId: 'job-1', status: 'INSTALLED' }),
      expect.objectContaining({
        jobId: 'job-2',
        status: 'FAILED',
        failureReason: 'broker channel closed',
      }),
    ]);
  });

  it('answers unknown jobs with NOT_FOUND and malformed commands with VALIDATION_FAILED', async () => {
    expect(await handler.handle({ type: 'start', jobId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await handler.handle({ type: 'explode' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await handler.handle(null)).toMatchObject({ ok: false });
  });
});
