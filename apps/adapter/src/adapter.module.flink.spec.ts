import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { InMemoryBrokerHub, createBrokerRegistry } from '@ruleshift/broker';
import { ADAPTER_CLIENT, RuleshiftError, type AdapterClient } from '@ruleshift/contracts';
import { DEFAULT_TEMPLATES_DIR, TemplateCatalog } from '@ruleshift/templates';
import { AdapterModule } from './adapter.module';
import { DriverRegistry } from './drivers/driver-registry';
import { FlinkJobDriver } from './drivers/flink';
import { connectorsFixture } from './registry/testing/job-fixtures';
import { ManualClock } from './shared/clock';

/**
 * AdapterModule with `flink` options, on embedded PGlite and the in-process broker: the flink
 * driver is registered, its tables exist, and its cluster (here a closed port, so nothing leaves
 * the machine) is listed as a runtime. The real cluster is covered by test/integration/flink-*.
 */
describe('AdapterModule.forRoot with the flink runtime', () => {
  const hub = new InMemoryBrokerHub();
  const brokers = createBrokerRegistry(
    'adapter-flink-spec',
    { named: { edge: { kind: 'memory' }, core: { kind: 'memory' } } },
    { hub },
  );
  let app: INestApplication;
  let client: AdapterClient;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AdapterModule.forRoot({
          database: { inMemory: true },
          brokers,
          templates: await TemplateCatalog.load(DEFAULT_TEMPLATES_DIR),
          publicUrl: 'http://127.0.0.1:3000',
          clock: new ManualClock(),
          flink: {
            cluster: {
              name: 'flink',
              restUrl: 'http://127.0.0.1:1',
              brokerOverrides: {},
              tlsFiles: {},
              startTimeoutMs: 1000,
              savepointTimeoutMs: 1000,
              checkpointIntervalMs: 1000,
              monitorIntervalMs: 60_000,
            },
            brokers: { named: { edge: { kind: 'amqp', url: 'amqp://u:p@127.0.0.1:5672/edge' } } },
          },
        }),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    client = app.get<AdapterClient>(ADAPTER_CLIENT);
  });

  afterAll(async () => {
    await app.close();
    await brokers.closeAll();
    await hub.closeAll();
  });

  it('registers the flink driver next to the edge one', () => {
    const drivers = app.get(DriverRegistry);
    expect(drivers.kinds().sort()).toEqual(['edge', 'flink']);
    expect(drivers.get('flink')).toBe(app.get(FlinkJobDriver));
  });

  it('lists the cluster as runtime flink/flink, unreachable with the reason in its details', async () => {
    const runtime = (await client.send('runtimes.list', {})).find((r) => r.runtime === 'flink');
    expect(runtime).toMatchObject({
      runtime: 'flink',
      targetResource: 'flink',
      health: 'UNREACHABLE',
      details: expect.objectContaining({ restUrl: 'http://127.0.0.1:1' }),
    });
  });

  it('refuses an install on the unreachable cluster before recording a job', async () => {
    const install = client.send('rules.install', {
      headers: { runtime: 'flink', targetResource: 'flink', jobType: 'filter' },
      jobConfig: { connectors: connectorsFixture },
      jobProps: { condition: '>', threshold: 20, fieldName: 'temperature' },
    });
    await expect(install).rejects.toBeInstanceOf(RuleshiftError);
    await expect(install).rejects.toMatchObject({
      code: 'RUNTIME_UNAVAILABLE',
      errors: [expect.objectContaining({ field: 'headers.targetResource' })],
    });
    expect(await client.send('jobs.list', {})).toEqual({ items: [] });
  });
});
