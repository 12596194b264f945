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

describe('RecordHeartbeatUseCase', () => {
  it('registers an unknown agent as an UP edge runtime with its load figures', async () => {
    const kit = new AdapterTestKit();
    await kit.useCases.recordHeartbeat.execute(beat('gw-7'));
    expect(await kit.runtimes.find('edge', 'gw-7')).toMatchObject({
      health: 'UP',
      lastSeenAt: kit.clock.now(),
      startedAt: new Date('2025-12-31T23:00:00.000Z'),
      details: { cpuPercent: 7.5, rssBytes: 64e6, rules: [] },
    });
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
