import { declareRuleTopology } from '@ruleshift/broker';
import type { AgentHeartbeat } from '@ruleshift/contracts';
import { AdapterTestKit } from '../../../testing/adapter-test-kit';

const heartbeat = (jobId: string, watermark: number): AgentHeartbeat => ({
  agentId: 'gw-1',
  startedAt: '2026-01-01T00:00:00.000Z',
  sentAt: '2026-01-01T00:00:01.000Z',
  version: '0.1.0',
  cpuPercent: 50,
  rssBytes: 123_456,
  heapUsedBytes: 1,
  rules: [
    {
      jobId,
      jobType: 'filter',
      status: 'RUNNING',
      metrics: {
        eventsIn: 10,
        eventsOut: 4,
        deadLettered: { 'not-json': 2 },
        stateKeys: 3,
        watermark,
      },
    },
  ],
});

describe('ScrapeMetricsUseCase', () => {
  it('exposes each live rule and agent with the figures last reported and the input backlog', async () => {
    const kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    await kit.registerRuntime('edge', 'gw-2', 'UNREACHABLE');
    const info = await kit.useCases.start.execute(
      await kit.useCases.install.execute(kit.installation()),
    );
    const config = (await kit.useCases.getJobConfig.execute({ jobId: info.jobId })).content;
    await declareRuleTopology(kit.realBrokers, config);
    const edge = await kit.realBrokers.get('edge');
    for (let i = 0; i < 5; i++) await edge.publish('sensors', 'temperature', Buffer.from('{}'));
    await kit.useCases.recordHeartbeat.execute(
      heartbeat(info.jobId, kit.clock.now().getTime() - 1500),
    );

    const { text } = await kit.useCases.scrapeMetrics.execute();
    const rule = `job_id="${info.jobId}",job_type="filter",runtime="edge",target="gw-1"`;
    for (const line of [
      `ruleshift_rule_events_in_total{${rule}} 10`,
      `ruleshift_rule_events_out_total{${rule}} 4`,
      `ruleshift_rule_dead_letters_total{${rule},reason="not-json"} 2`,
      `ruleshift_rule_input_backlog{${rule}} 5`,
      `ruleshift_rule_state_keys{${rule}} 3`,
      `ruleshift_rule_watermark_lag_seconds{${rule}} 1.5`,
      'ruleshift_agent_up{agent="gw-1"} 1',
      'ruleshift_agent_up{agent="gw-2"} 0',
      'ruleshift_agent_cpu_ratio{agent="gw-1"} 0.5',
      'ruleshift_agent_memory_bytes{agent="gw-1"} 123456',
      'ruleshift_agent_shares_process{agent="gw-1"} 0',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
  });

  it("leaves out the CPU and memory of an agent that shares its process (npm start): they are the process's", async () => {
    const kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    const info = await kit.useCases.install.execute(kit.installation());
    await kit.useCases.recordHeartbeat.execute({
      ...heartbeat(info.jobId, kit.clock.now().getTime()),
      sharesProcess: true,
    });

    const lines = (await kit.useCases.scrapeMetrics.execute()).text.split('\n');
    expect(lines).toContain('ruleshift_agent_shares_process{agent="gw-1"} 1');
    expect(lines).toContain('ruleshift_agent_up{agent="gw-1"} 1');
    expect(lines.filter((l) => /^ruleshift_agent_(cpu_ratio|memory_bytes)\{/.test(l))).toEqual([]);
  });

  it('exposes the event outbox backlog: pending events, the age of the oldest, its failed attempts', async () => {
    const kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    const lines = async () => (await kit.useCases.scrapeMetrics.execute()).text.split('\n');
    await kit.useCases.install.execute(kit.installation());
    await kit.relay.flush();
    expect(await lines()).toContain('ruleshift_event_outbox_pending 0');
    expect(await lines()).toContain('ruleshift_event_outbox_oldest_pending_age_seconds 0');

    kit.outbox.append([
      {
        kind: 'job',
        event: 'started',
        eventId: 'e-1',
        jobId: 'j-1',
        jobType: 'filter',
        status: 'RUNNING',
        runtime: 'edge',
        targetResource: 'gw-1',
        at: new Date(kit.clock.now().getTime() - 90_000).toISOString(),
      },
    ]);
    const [head] = await kit.outbox.pending(1);
    await kit.outbox.recordFailure(head.id, 'broker away');
    expect(await lines()).toEqual(
      expect.arrayContaining([
        'ruleshift_event_outbox_pending 1',
        'ruleshift_event_outbox_oldest_pending_age_seconds 90',
        'ruleshift_event_outbox_head_failed_attempts 1',
      ]),
    );
  });

  it('drops the series of an uninstalled rule at the next scrape', async () => {
    const kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    const info = await kit.useCases.start.execute(
      await kit.useCases.install.execute(kit.installation()),
    );
    await kit.useCases.recordHeartbeat.execute(heartbeat(info.jobId, 0));
    expect((await kit.useCases.scrapeMetrics.execute()).text).toContain(info.jobId);
    await kit.useCases.uninstall.execute(await kit.useCases.stop.execute(info));
    expect((await kit.useCases.scrapeMetrics.execute()).text).not.toContain(info.jobId);
  });
});
