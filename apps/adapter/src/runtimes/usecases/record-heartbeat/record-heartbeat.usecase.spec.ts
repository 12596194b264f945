import type { AgentHeartbeat, AgentRuleState } from '@ruleshift/contracts';
import { AdapterTestKit } from '../../../testing/adapter-test-kit';

const beat = (agentId: string, rules: AgentRuleState[] = []): AgentHeartbeat => ({
  agentId,
  startedAt: '2025-12-31T23:00:00.000Z',
  sentAt: '2026-01-01T00:00:00.000Z',
  version: '0.1.0',
  cpuPercent: 7.5,
  rssBytes: 64e6,
  heapUsedBytes: 20e6,
  rules,
});
const metrics = { eventsIn: 1, eventsOut: 1, deadLettered: {} };
const rule = (jobId: string, status: AgentRuleState['status']): AgentRuleState => ({
  jobId,
  jobType: 'filter',
  status,
  metrics,
});

describe('RecordHeartbeatUseCase', () => {
  it('registers an unknown agent as an UP edge runtime; its load figures stay in memory', async () => {
    const kit = new AdapterTestKit();
    await kit.useCases.recordHeartbeat.execute(beat('gw-7', [rule('job-1', 'RUNNING')]));
    // The registry row is rewritten on every beat: it carries only what must be durable.
    expect(await kit.runtimes.find('edge', 'gw-7')).toEqual(
      expect.objectContaining({
        health: 'UP',
        lastSeenAt: kit.clock.now(),
        startedAt: new Date('2025-12-31T23:00:00.000Z'),
        details: { version: '0.1.0', refusedControlMessages: 0 },
      }),
    );
    expect(kit.figures.agent('gw-7')).toMatchObject({ cpuPercent: 7.5, rssBytes: 64e6 });
    expect(kit.figures.ruleMetrics('edge', 'gw-7', 'job-1')).toEqual(metrics);
    const [listed] = await kit.useCases.listRuntimes.execute();
    expect(listed.details).toMatchObject({ version: '0.1.0', cpuPercent: 7.5, rssBytes: 64e6 });
  });

  it('brings an UNREACHABLE agent back UP', async () => {
    const kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1', 'UNREACHABLE');
    await kit.useCases.recordHeartbeat.execute(beat('gw-1'));
    expect((await kit.runtimes.find('edge', 'gw-1'))?.health).toBe('UP');
  });

  it('marks a job FAILED with the reason when its agent reports the rule FAILED', async () => {
    const kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    const info = await kit.useCases.start.execute(
      await kit.useCases.install.execute(kit.installation()),
    );
    await kit.useCases.recordHeartbeat.execute(
      beat('gw-1', [
        {
          jobId: info.jobId,
          jobType: 'filter',
          status: 'FAILED',
          failureReason: 'rule threw',
          metrics,
        },
      ]),
    );
    const details = await kit.useCases.getJob.execute({ jobId: info.jobId });
    expect(details).toMatchObject({ jobStatus: 'FAILED', failureReason: 'rule threw' });
    expect(details.history.at(-1)).toMatchObject({ status: 'FAILED', reason: 'rule threw' });
  });

  it('ignores a FAILED report from an agent that is not the job placement', async () => {
    const kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    const info = await kit.useCases.start.execute(
      await kit.useCases.install.execute(kit.installation()),
    );
    await kit.useCases.recordHeartbeat.execute(
      beat('gw-2', [{ jobId: info.jobId, jobType: 'filter', status: 'FAILED', metrics }]),
    );
    expect(kit.jobs.rows.get(info.jobId)?.status).toBe('RUNNING');
  });
});
