import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { InMemoryBrokerHub, RpcServer, createBrokerRegistry, encodeJson } from '@ruleshift/broker';
import {
  SigningKey,
  VerifyKey,
  artifactSignatureValid,
  openSignedMessage,
  signMessage,
} from '@ruleshift/identity';
import {
  ADAPTER_CLIENT,
  CONTROL_EXCHANGE,
  HEARTBEAT_EXCHANGE,
  controlQueueFor,
  type AdapterClient,
  type AgentCommand,
  type AgentHeartbeat,
  type InstallRuleCommand,
  type SignedCommandBody,
} from '@ruleshift/contracts';
import request from 'supertest';
import { AdapterModule } from './adapter.module';
import { ManualClock } from './shared/clock';
import { connectorsFixture } from './registry/testing/job-fixtures';
import { FakeTemplateCatalog } from './testing/fake-template-catalog';

/**
 * The module wired for real on embedded PGlite (in memory) and the in-process broker, with a
 * scripted agent answering on its control queue: the path `npm start` takes.
 */
describe('AdapterModule.forRoot', () => {
  const hub = new InMemoryBrokerHub();
  const brokers = createBrokerRegistry(
    'adapter-spec',
    { named: { edge: { kind: 'memory' }, core: { kind: 'memory' } } },
    { hub },
  );
  const clock = new ManualClock();
  const received: AgentCommand[] = [];
  let app: INestApplication;
  let client: AdapterClient;
  let agent: RpcServer;
  const agentKey = SigningKey.generate();
  let adapterKey: VerifyKey;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AdapterModule.forRoot({
          database: { inMemory: true },
          brokers,
          templates: new FakeTemplateCatalog(),
          publicUrl: 'http://127.0.0.1:3000',
          heartbeatIntervalMs: 1000,
          clock,
          agentRpcTimeoutMs: 5000,
        }),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    client = app.get<AdapterClient>(ADAPTER_CLIENT);

    const core = await brokers.get('core');
    await core.assert({
      exchanges: [{ name: CONTROL_EXCHANGE, type: 'direct', durable: true }],
      queues: [{ name: controlQueueFor('gw-1'), durable: true }],
      bindings: [
        { queue: controlQueueFor('gw-1'), exchange: CONTROL_EXCHANGE, routingKey: 'gw-1' },
      ],
    });
    // The scripted agent enrols for real: admitted by an admin, token presented over HTTP.
    const { enrolmentToken } = await client.send('agents.create', {
      agentId: 'gw-1',
      createdBy: 'spec',
    });
    const enrolled = await request(app.getHttpServer())
      .post('/agents/enrol')
      .send({ agentId: 'gw-1', enrolmentToken, publicKey: agentKey.publicKey.pem });
    expect(enrolled.status).toBe(200);
    adapterKey = VerifyKey.fromPem(enrolled.body.adapterPublicKey as string);
    agent = new RpcServer(core);
    await agent.serve(controlQueueFor('gw-1'), (payload) => {
      const body = openSignedMessage(adapterKey, payload) as SignedCommandBody;
      received.push(body.command);
      return Promise.resolve(
        signMessage(agentKey, { agentId: 'gw-1', requestNonce: body.nonce, reply: { ok: true } }),
      );
    });
  }, 90_000); // boots PGlite, runs the migrations and Nest: slow on a loaded machine

  afterAll(async () => {
    await agent.close();
    await app.close();
    await brokers.closeAll();
    await hub.closeAll();
  });

  const heartbeat: AgentHeartbeat = {
    agentId: 'gw-1',
    startedAt: '2026-01-01T00:00:00.000Z',
    sentAt: '2026-01-01T00:00:00.001Z',
    version: '0.1.0',
    cpuPercent: 1,
    rssBytes: 1,
    heapUsedBytes: 1,
    rules: [],
  };

  const waitFor = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 200; i++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('condition never met');
  };

  it('registers an agent from its heartbeat and installs a rule on it over the control channel', async () => {
    const core = await brokers.get('core');
    await core.publish(HEARTBEAT_EXCHANGE, '', encodeJson(signMessage(agentKey, heartbeat)));
    const runtime = await waitFor(async () =>
      (await client.send('runtimes.list', {})).find((r) => r.targetResource === 'gw-1'),
    );
    expect(runtime).toMatchObject({ runtime: 'edge', health: 'UP' });

    const info = await client.send('rules.install', {
      headers: { runtime: 'edge', targetResource: 'gw-1', jobType: 'filter' },
      jobConfig: { connectors: connectorsFixture },
      jobProps: { condition: '>', threshold: 1, fieldName: 't', fieldJsonPath: '$.t' },
    });
    expect(info.jobStatus).toBe('INSTALLED');
    expect(received[0]).toMatchObject({
      type: 'install',
      config: { jobId: info.jobId },
      artifact: { url: 'http://127.0.0.1:3000/artifacts/filter/1.0.0/edge' },
    });
    const { artifact } = received[0] as InstallRuleCommand;
    expect(artifactSignatureValid(adapterKey, artifact, artifact.signature)).toBe(true);
    const input = await (await brokers.get('edge')).queueDepth(connectorsFixture.inputQueue);
    expect(input).toBe(0); // declared by the topology step

    expect(await client.send('health', {})).toMatchObject({ status: 'ok' });
  });

  it('marks the agent UNREACHABLE when its heartbeats stop', async () => {
    // The sweeper ticks once per interval; the 4th tick is the first past 3 missed beats.
    clock.advance(4 * 1000);
    const runtime = await waitFor(async () =>
      (await client.send('runtimes.list', {})).find((r) => r.health === 'UNREACHABLE'),
    );
    expect(runtime.targetResource).toBe('gw-1');
  });

  it('refuses and counts heartbeats of impostors and of agents never enrolled', async () => {
    const core = await brokers.get('core');
    const forged = signMessage(SigningKey.generate(), {
      ...heartbeat,
      sentAt: '2026-01-01T00:00:05.000Z',
    });
    await core.publish(HEARTBEAT_EXCHANGE, '', encodeJson(forged));
    const stranger = { ...heartbeat, agentId: 'gw-stranger' };
    await core.publish(HEARTBEAT_EXCHANGE, '', encodeJson(signMessage(agentKey, stranger)));
    const refused = await waitFor(async () => {
      const list = await client.send('runtimes.list', {});
      const gw1 = list.find((r) => r.targetResource === 'gw-1');
      const other = list.find((r) => r.targetResource === 'gw-stranger');
      return gw1?.details?.refusedHeartbeats && other ? { gw1, other } : undefined;
    });
    expect(refused.gw1.details).toMatchObject({
      refusedHeartbeats: { count: 1, lastReason: 'signature does not verify' },
    });
    expect(refused.other).toMatchObject({
      health: 'REFUSED',
      details: { refusedHeartbeats: { count: 1, lastReason: 'not enrolled' } },
    });
  });

  it('answers 401 to a second use of an enrolment token and 400 naming bad fields', async () => {
    const server = app.getHttpServer();
    const { enrolmentToken } = await client.send('agents.create', {
      agentId: 'gw-2',
      createdBy: 'spec',
    });
    const publicKey = SigningKey.generate().publicKey.pem;
    const first = await request(server)
      .post('/agents/enrol')
      .send({ agentId: 'gw-2', enrolmentToken, publicKey });
    expect(first.status).toBe(200);
    const again = await request(server)
      .post('/agents/enrol')
      .send({ agentId: 'gw-2', enrolmentToken, publicKey });
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ errors: [{ field: 'enrolmentToken' }] });
    const bad = await request(server)
      .post('/agents/enrol')
      .send({ agentId: '../x', enrolmentToken: 7, publicKey: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'agentId',
      'enrolmentToken',
      'publicKey',
    ]);
  });

  it('a revoked agent is REFUSED and gets no rules', async () => {
    await client.send('agents.revoke', { agentId: 'gw-1' });
    const runtime = (await client.send('runtimes.list', {})).find(
      (r) => r.targetResource === 'gw-1',
    );
    expect(runtime).toMatchObject({ health: 'REFUSED' });
    const sent = received.length;
    await expect(
      client.send('rules.install', {
        headers: { runtime: 'edge', targetResource: 'gw-1', jobType: 'filter' },
        jobConfig: { connectors: connectorsFixture },
        jobProps: { condition: '>', threshold: 1, fieldName: 't', fieldJsonPath: '$.t' },
      }),
    ).rejects.toMatchObject({ code: 'RUNTIME_UNAVAILABLE' });
    expect(received).toHaveLength(sent);
  });

  it('serves artifacts on the host HTTP server', async () => {
    const res = await request(app.getHttpServer()).get('/artifacts/filter/1.0.0/edge');
    expect(res.status).toBe(200);
  });
});
