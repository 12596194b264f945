import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { InMemoryBrokerHub, RpcServer, createBrokerRegistry, encodeJson } from '@ruleshift/broker';
import {
  ADAPTER_CLIENT,
  CONTROL_EXCHANGE,
  HEARTBEAT_EXCHANGE,
  controlQueueFor,
  type AdapterClient,
  type AgentCommand,
  type AgentHeartbeat,
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
    agent = new RpcServer(core);
    await agent.serve(controlQueueFor('gw-1'), (payload) => {
      received.push(payload as AgentCommand);
      return Promise.resolve({ ok: true });
    });
  });

  afterAll(async () => {
    await agent.close();
    await app.close();
    await brokers.closeAll();
    await hub.closeAll();
  });

  const heartbeat: AgentHeartbeat = {
    agentId: 'gw-1',
    startedAt: '2026-01-01T00:00:00.000Z',
    sentAt: '2026-01-01T00:00:00.000Z',
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
    await (await brokers.get('core')).publish(HEARTBEAT_EXCHANGE, '', encodeJson(heartbeat));
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

  it('serves artifacts on the host HTTP server', async () => {
    const res = await request(app.getHttpServer()).get('/artifacts/filter/1.0.0/edge');
    expect(res.status).toBe(200);
  });
});
