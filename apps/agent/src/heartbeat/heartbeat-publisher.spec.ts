import { SigningKey, openSignedMessage, signMessage } from '@ruleshift/identity';
import { HEARTBEAT_EXCHANGE } from '@ruleshift/contracts';
import { silentLogger } from '../shared/logger';
import { FakeBrokerConnection } from '../testing/fakes';
import { HeartbeatPublisher } from './heartbeat-publisher';

describe('HeartbeatPublisher', () => {
  const rules = [
    {
      jobId: 'job-1',
      jobType: 'filter',
      status: 'RUNNING' as const,
      metrics: { eventsIn: 10, eventsOut: 4, deadLettered: { 'not-json': 1 } },
    },
  ];
  const agentKey = SigningKey.generate();
  const publisher = () =>
    new HeartbeatPublisher({
      agentId: 'gw-1',
      version: '1.2.3',
      startedAt: new Date('2026-01-01T00:00:00Z'),
      intervalMs: 2000,
      stats: {
        sample: () => ({ cpuPercent: 37.5, rssBytes: 64_000_000, heapUsedBytes: 20_000_000 }),
      },
      rules: () => rules,
      refusedControlMessages: () => 2,
      sign: (heartbeat) => signMessage(agentKey, heartbeat),
      logger: silentLogger,
      now: () => new Date('2026-01-01T00:01:00Z'),
    });

  it('carries identity, load figures and every rule with status and metrics', () => {
    expect(publisher().build()).toEqual({
      agentId: 'gw-1',
      startedAt: '2026-01-01T00:00:00.000Z',
      sentAt: '2026-01-01T00:01:00.000Z',
      version: '1.2.3',
      cpuPercent: 37.5,
      rssBytes: 64_000_000,
      heapUsedBytes: 20_000_000,
      rules,
      refusedControlMessages: 2,
    });
  });

  it('publishes one heartbeat, signed by the agent key, to the fanout as soon as it is attached', async () => {
    const core = new FakeBrokerConnection('core');
    const heartbeats = publisher();
    await heartbeats.attach(core);
    heartbeats.stop();
    expect(core.published).toHaveLength(1);
    expect(core.published[0]).toMatchObject({
      exchange: HEARTBEAT_EXCHANGE,
      routingKey: 'gw-1',
      options: { persistent: false, expiration: 6000 },
    });
    expect(openSignedMessage(agentKey.publicKey, core.published[0].body)).toMatchObject({
      agentId: 'gw-1',
      rules,
    });
  });
});
