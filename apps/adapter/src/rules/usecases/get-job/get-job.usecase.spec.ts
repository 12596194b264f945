import type { AgentHeartbeat } from '@ruleshift/contracts';
import { AdapterTestKit, errorOf } from '../../../testing/adapter-test-kit';

const heartbeat = (jobId: string): AgentHeartbeat => ({
  agentId: 'gw-1',
  startedAt: '2026-01-01T00:00:00.000Z',
  sentAt: '2026-01-01T00:00:01.000Z',
  version: '0.1.0',
  cpuPercent: 12,
  rssBytes: 1000,
  heapUsedBytes: 500,
  rules: [
    {
      jobId,
      jobType: 'filter',
      status: 'RUNNING',
      metrics: { eventsIn: 10, eventsOut: 4, deadLettered: { 'not-json': 1 } },
    },
  ],
});

describe('GetJobUseCase', () => {
  it('returns the job details with its history and the metrics of the last heartbeat', async () => {
    const kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    const info = await kit.useCases.start.execute(
      await kit.useCases.install.execute(kit.installation()),
    );
    await kit.useCases.recordHeartbeat.execute(heartbeat(info.jobId));

    const details = await kit.useCases.getJob.execute({ jobId: info.jobId });
    expect(details).toMatchObject({
      ...info,
      templateVersion: '1.0.0',
      connectors: kit.installation().jobConfig.connectors,
      jobProps: kit.installation().jobProps,
      createdAt: '2026-01-01T00:00:00.000Z',
      metrics: { eventsIn: 10, eventsOut: 4, deadLettered: { 'not-json': 1 } },
    });
    expect(details.history.map((h) => h.status)).toEqual(['INSTALLED', 'RUNNING']);
    expect(details.pendingMove).toBeUndefined();
  });

  it('answers NotFound for an unknown job', async () => {
    const kit = new AdapterTestKit();
    expect(await errorOf(kit.useCases.getJob.execute({ jobId: 'nope' }))).toMatchObject({
      code: 'NOT_FOUND',
      errors: [{ field: 'jobId' }],
    });
  });
});
