import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  InMemoryBrokerHub,
  RpcClient,
  createBrokerRegistry,
  type BrokerRegistry,
  type Delivery,
} from '@ruleshift/broker';
import type { AgentReply } from '@ruleshift/contracts';
import { CONTROL_EXCHANGE, CONTROL_REPLY_EXCHANGE } from '@ruleshift/contracts';
import { sha256Of } from './bundles/bundle-cache';
import type { AgentHandle } from './agent-options';
import { startAgent } from './start-agent';
import { IdentityStore } from './identity/identity-store';
import {
  TEST_ADAPTER_URL,
  artifactFor,
  configFor,
  eventually,
  openReply,
  signedCommand,
  testIdentity,
} from './testing/fakes';

const FILTER_BUNDLE = readFileSync(path.join(__dirname, '../../../templates/filter/edge/rule.js'));

/** The embedded default end to end: in-process brokers, real engine, real filter template. */
describe('startAgent with the in-process broker', () => {
  let dir: string;
  let hub: InMemoryBrokerHub;
  let brokers: BrokerRegistry;
  let agent: AgentHandle | undefined;
  let rpc: RpcClient | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'agent-e2e-'));
    hub = new InMemoryBrokerHub();
    brokers = createBrokerRegistry(
      'agent-test',
      { named: { edge: { kind: 'memory' }, core: { kind: 'memory' } } },
      { hub },
    );
  });
  afterEach(async () => {
    await rpc?.close();
    await agent?.stop();
    await brokers.closeAll();
    await hub.closeAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start without an identity or an enrolment token', async () => {
    await expect(
      startAgent({ agentId: 'gw-new', brokers, dataDir: dir, adapterUrl: TEST_ADAPTER_URL }),
    ).rejects.toMatchObject({ errors: [{ field: 'AGENT_ENROLMENT_TOKEN' }] });
  });

  it('installs and starts a filter rule over the control channel and filters events', async () => {
    const identity = testIdentity('gw-e2e');
    await new IdentityStore(dir).save(identity, 'enrolled-by-the-test', new Date());
    agent = await startAgent({
      agentId: 'gw-e2e',
      brokers,
      dataDir: dir,
      adapterUrl: TEST_ADAPTER_URL,
      heartbeatIntervalMs: 60_000,
      fetchArtifact: () => Promise.resolve(FILTER_BUNDLE),
    });
    await eventually(() => agent!.isConnected(), 'control channel connected');
    const core = await brokers.get('core');
    rpc = new RpcClient(core, { replyExchange: CONTROL_REPLY_EXCHANGE });
    const send = async (command: unknown): Promise<AgentReply> =>
      openReply(
        identity,
        await rpc!.request(CONTROL_EXCHANGE, 'gw-e2e', signedCommand('gw-e2e', command), 5000),
      );

    const installed = await send({
      type: 'install',
      config: configFor('job-e2e'),
      artifact: artifactFor(sha256Of(FILTER_BUNDLE)),
    });
    expect(installed).toMatchObject({ ok: true, rule: { status: 'INSTALLED' } });
    expect(await send({ type: 'start', jobId: 'job-e2e' })).toMatchObject({
      ok: true,
      rule: { status: 'RUNNING' },
    });

    const edge = await brokers.get('edge');
    await edge.assert({
      queues: [{ name: 'observe', durable: false }],
      bindings: [{ queue: 'observe', exchange: 'out', routingKey: 'k' }],
    });
    const outputs: unknown[] = [];
    const observer = await edge.consume(
      'observe',
      (delivery: Delivery) => {
        outputs.push(JSON.parse(delivery.body.toString('utf8')));
        observer.ack(delivery);
      },
      { prefetch: 10 },
    );
    for (const temp of [5, 20, 11, 3]) {
      await edge.publish('in', 'k', Buffer.from(JSON.stringify({ temp })));
    }
    await eventually(() => outputs.length === 2, 'two events above the threshold');
    expect(outputs).toEqual([{ temp: 20 }, { temp: 11 }]);

    const stopped = await send({ type: 'stop', jobId: 'job-e2e' });
    expect(stopped).toMatchObject({ ok: true, snapshot: { jobId: 'job-e2e' } });
    await observer.close();
  });
});
