import type { AgentCommand, AgentReply, RuleSnapshot } from '@ruleshift/contracts';
import { ruleConfigFixture } from '../../registry/testing/job-fixtures';
import { FakeTemplateCatalog } from '../../testing/fake-template-catalog';
import { AgentControlChannel, AgentDidNotAnswer } from './agent-control-channel';
import { SigningKey, artifactSignatureValid } from '@ruleshift/identity';
import { ArtifactSignatures } from '../../templates/artifact-signatures';
import { EdgeRuntimeDriver } from './edge-runtime-driver';

class ScriptedChannel extends AgentControlChannel {
  readonly sent: { agentId: string; command: AgentCommand }[] = [];
  reply: AgentReply | Error = { ok: true };

  send(agentId: string, command: AgentCommand): Promise<AgentReply> {
    this.sent.push({ agentId, command });
    return this.reply instanceof Error ? Promise.reject(this.reply) : Promise.resolve(this.reply);
  }
}

const JOB = {
  jobId: 'job-1',
  jobType: 'filter',
  templateVersion: '1.0.0',
  runtime: 'edge' as const,
  targetResource: 'gw-1',
};
const SNAPSHOT: RuleSnapshot = {
  format: 'ruleshift.snapshot/v1',
  jobId: 'job-1',
  jobType: 'filter',
  templateVersion: '1.0.0',
  takenAt: '2026-01-01T00:00:00.000Z',
  watermark: 5,
  state: { windows: [] },
};

describe('EdgeRuntimeDriver', () => {
  let channel: ScriptedChannel;
  let driver: EdgeRuntimeDriver;

  const adapterKey = SigningKey.generate();

  beforeEach(() => {
    channel = new ScriptedChannel();
    const catalog = new FakeTemplateCatalog();
    driver = new EdgeRuntimeDriver(
      channel,
      catalog,
      'http://adapter:3001/',
      new ArtifactSignatures(adapterKey, catalog),
    );
  });

  it('signs the artifact it names (jobType, version, sha256) with the adapter key', async () => {
    await driver.install(JOB, ruleConfigFixture('job-1'));
    const { artifact } = channel.sent[0].command as Extract<AgentCommand, { type: 'install' }>;
    expect(artifactSignatureValid(adapterKey.publicKey, artifact, artifact.signature)).toBe(true);
    expect(
      artifactSignatureValid(
        adapterKey.publicKey,
        { ...artifact, version: '0.0.1' },
        artifact.signature,
      ),
    ).toBe(false);
  });

  it('sends install to the agent with an absolute artifact url and the snapshot', async () => {
    const config = ruleConfigFixture('job-1');
    await driver.install(JOB, config, SNAPSHOT);
    expect(channel.sent).toEqual([
      {
        agentId: 'gw-1',
        command: {
          type: 'install',
          config,
          snapshot: SNAPSHOT,
          artifact: expect.objectContaining({
            jobType: 'filter',
            sha256: 'sha-filter-edge',
            path: '/artifacts/filter/1.0.0/edge',
            url: 'http://adapter:3001/artifacts/filter/1.0.0/edge',
            signature: expect.any(String),
          }),
        },
      },
    ]);
  });

  it('returns the snapshot the agent sends back on stop and uninstall', async () => {
    channel.reply = { ok: true, snapshot: SNAPSHOT };
    expect(await driver.stop(JOB)).toEqual(SNAPSHOT);
    expect(await driver.uninstall(JOB)).toEqual(SNAPSHOT);
    await driver.start(JOB);
    expect(channel.sent.map((s) => s.command)).toEqual([
      { type: 'stop', jobId: 'job-1' },
      { type: 'uninstall', jobId: 'job-1' },
      { type: 'start', jobId: 'job-1' },
    ]);
  });

  it('turns a silent agent into RuntimeUnavailable on targetResource', async () => {
    channel.reply = new AgentDidNotAnswer('gw-1');
    await expect(driver.start(JOB)).rejects.toMatchObject({
      code: 'RUNTIME_UNAVAILABLE',
      errors: [{ field: 'targetResource', reason: 'agent gw-1 did not answer' }],
    });
  });

  it('turns a refusal into RUNTIME_ERROR with the agent message', async () => {
    channel.reply = { ok: false, error: { code: 'CHECKSUM', message: 'sha256 mismatch' } };
    await expect(driver.install(JOB, ruleConfigFixture('job-1'))).rejects.toMatchObject({
      code: 'RUNTIME_ERROR',
      message: expect.stringContaining('sha256 mismatch'),
    });
  });

  it('carries state to other agents and to Flink (the neutral snapshot)', () => {
    expect(driver.canCarryState('edge')).toBe(true);
    expect(driver.canCarryState('flink')).toBe(true);
  });
});
