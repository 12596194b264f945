import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { NO_REPLY } from '@ruleshift/broker';
import { SigningKey, openSignedMessage } from '@ruleshift/identity';
import type { AgentHeartbeat, AgentReply } from '@ruleshift/contracts';
import {
  CONTROL_EXCHANGE,
  CONTROL_REPLY_EXCHANGE,
  HEARTBEAT_EXCHANGE,
  controlQueueFor,
} from '@ruleshift/contracts';
import type { AgentDeps, AgentHandle } from './agent-options';
import { createAgent } from './agent';
import { CONTROL_MESSAGE_TTL_MS } from './control/control-topology';
import { InlineRuleHost } from './host/inline-rule-host';
import { nodeFileSystem } from './store/file-system';
import {
  FakeBrokerRegistry,
  FakeRunners,
  artifactFor,
  configFor,
  countingFetch,
  eventually,
  openReply,
  signedCommand,
  testIdentity,
  TEST_ADAPTER_URL,
} from './testing/fakes';

describe('agent', () => {
  let dir: string;
  let brokers: FakeBrokerRegistry;
  let handlers: Array<(payload: unknown) => Promise<unknown>>;
  let agents: AgentHandle[];
  const identity = testIdentity('gw-1');
  const heartbeatOf = (body: unknown) =>
    openSignedMessage(identity.agentKey.publicKey, body) as AgentHeartbeat;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'agent-'));
    brokers = new FakeBrokerRegistry();
    handlers = [];
    agents = [];
  });
  afterEach(async () => {
    for (const agent of agents) await agent.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (runners: FakeRunners): Promise<AgentHandle> => {
    const deps: AgentDeps = {
      identity,
      ruleHost: new InlineRuleHost(runners.factory),
      declareTopology: () => Promise.resolve(),
      serveControl: (_core, queue, handler) => {
        expect(queue).toBe(controlQueueFor('gw-1'));
        handlers.push(handler);
        return Promise.resolve({ close: () => Promise.resolve() });
      },
      fetchArtifact: countingFetch().fetchArtifact,
      stats: { sample: () => ({ cpuPercent: 12.5, rssBytes: 1000, heapUsedBytes: 500 }) },
      fileSystem: nodeFileSystem,
      controlRetry: { initialDelayMs: 5, maxDelayMs: 20 },
    };
    const agent = await createAgent(
      {
        agentId: 'gw-1',
        brokers,
        dataDir: dir,
        adapterUrl: TEST_ADAPTER_URL,
        heartbeatIntervalMs: 60_000,
        version: '9.9.9',
      },
      deps,
    );
    agents.push(agent);
    return agent;
  };
  const command = async (payload: unknown): Promise<AgentReply> =>
    openReply(identity, await handlers[handlers.length - 1](signedCommand('gw-1', payload)));

  it('declares its control queue with a TTL and registers with a first heartbeat on connect', async () => {
    await start(new FakeRunners());
    await eventually(() => brokers.core.published.length > 0, 'first heartbeat');

    expect(brokers.core.asserted[0]).toEqual({
      exchanges: [
        { name: CONTROL_EXCHANGE, type: 'direct', durable: true },
        { name: HEARTBEAT_EXCHANGE, type: 'fanout', durable: true },
        { name: CONTROL_REPLY_EXCHANGE, type: 'direct', durable: true },
      ],
      queues: [
        { name: controlQueueFor('gw-1'), durable: true, messageTtlMs: CONTROL_MESSAGE_TTL_MS },
      ],
      bindings: [
        { queue: controlQueueFor('gw-1'), exchange: CONTROL_EXCHANGE, routingKey: 'gw-1' },
      ],
    });
    const [first] = brokers.core.published;
    expect(first.exchange).toBe(HEARTBEAT_EXCHANGE);
    expect(heartbeatOf(first.body)).toMatchObject({
      agentId: 'gw-1',
      version: '9.9.9',
      rules: [],
      refusedControlMessages: 0,
    });
  });

  it('resumes RUNNING rules from disk on restart while the core broker is unreachable', async () => {
    const before = await start(new FakeRunners());
    await eventually(() => handlers.length === 1, 'control channel up');
    await command({ type: 'install', config: configFor('run-me'), artifact: artifactFor() });
    await command({ type: 'install', config: configFor('leave-me'), artifact: artifactFor() });
    await command({ type: 'start', jobId: 'run-me' });
    await before.stop(); // graceful: checkpoint written, desired status kept RUNNING

    brokers.coreReachable = false;
    const attemptsBefore = brokers.connectAttempts;
    const runners = new FakeRunners();
    const after = await start(runners);

    expect(after.isConnected()).toBe(false);
    expect(runners.started.map((s) => s.jobId)).toEqual(['run-me']);
    expect(runners.started[0].snapshot).toMatchObject({ jobId: 'run-me' });
    expect(after.rules()).toEqual([
      expect.objectContaining({ jobId: 'leave-me', status: 'INSTALLED' }),
      expect.objectContaining({ jobId: 'run-me', status: 'RUNNING' }),
    ]);

    // The uplink keeps retrying and registers once the core is back.
    await eventually(() => brokers.connectAttempts >= attemptsBefore + 2, 'retries');
    brokers.coreReachable = true;
    await eventually(() => after.isConnected(), 'reconnected');
    await eventually(() => brokers.core.published.length > 1, 'registration heartbeat');
    const heartbeat = heartbeatOf(brokers.core.published.at(-1)!.body);
    expect(heartbeat.rules.find((r) => r.jobId === 'run-me')?.status).toBe('RUNNING');
  });

  it('keeps a stopped rule stopped across restarts', async () => {
    const before = await start(new FakeRunners());
    await eventually(() => handlers.length === 1, 'control channel up');
    await command({ type: 'install', config: configFor('job'), artifact: artifactFor() });
    await command({ type: 'start', jobId: 'job' });
    await command({ type: 'stop', jobId: 'job' });
    await before.stop();

    const runners = new FakeRunners();
    const after = await start(runners);
    expect(runners.started).toEqual([]);
    expect(after.rules()).toEqual([expect.objectContaining({ jobId: 'job', status: 'STOPPED' })]);
  });

  it('ignores (no reply), logs and counts control messages it cannot trust', async () => {
    const runners = new FakeRunners();
    const agent = await start(runners);
    await eventually(() => handlers.length === 1, 'control channel up');
    const serve = handlers[0];
    const install = { type: 'install', config: configFor('forged'), artifact: artifactFor() };
    const genuine = signedCommand('gw-1', install);

    const refusals = [
      install, // unsigned
      signedCommand('gw-1', install, SigningKey.generate()), // signed by an impostor
      { ...genuine, payload: genuine.payload.replace('forged', 'forge2') }, // altered
      signedCommand('gw-2', install), // another agent's command
      signedCommand('gw-1', install, undefined, {
        issuedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
      }), // too old
    ];
    for (const message of refusals) expect(await serve(message)).toBe(NO_REPLY);
    expect(openReply(identity, await serve(genuine))).toMatchObject({ ok: true });
    expect(await serve(genuine)).toBe(NO_REPLY); // the same command, replayed

    expect(agent.refusedControlMessages()).toBe(refusals.length + 1);
    expect(agent.rules().map((r) => r.jobId)).toEqual(['forged']);
  });
});
