import { DEAD_LETTER_EXCHANGE } from '@ruleshift/contracts';
import { AdapterTestKit, errorOf } from '../../../testing/adapter-test-kit';

describe('InstallJobUseCase', () => {
  let kit: AdapterTestKit;

  beforeEach(async () => {
    kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
  });

  it('installs the rule on the agent and returns the paper jobInfo', async () => {
    const info = await kit.useCases.install.execute(kit.installation());
    expect(info).toEqual({
      runtime: 'edge',
      jobId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      jobType: 'filter',
      jobStatus: 'INSTALLED',
      configFileName: `${info.jobId}.json`,
      targetResource: 'gw-1',
    });
    const rule = kit.edge.rule('gw-1', info.jobId);
    expect(rule?.status).toBe('INSTALLED');
    expect(rule?.config).toMatchObject({
      jobId: info.jobId,
      templateVersion: '1.0.0',
      deadLetterExchange: DEAD_LETTER_EXCHANGE,
      connectors: kit.installation().jobConfig.connectors,
    });
    expect(kit.topology.declared.map((c) => c.jobId)).toEqual([info.jobId]);
    const job = kit.jobs.rows.get(info.jobId)!;
    expect(job).toMatchObject({ status: 'INSTALLED', operation: null });
    expect(kit.jobs.historyRows.map((h) => h.status)).toEqual(['INSTALLED']);
  });

  it('rejects bad jobProps with the field the template names', async () => {
    const body = await errorOf(
      kit.useCases.install.execute(kit.installation({}, { threshold: 'not-a-number' })),
    );
    expect(body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'jobProps.threshold' }],
    });
    expect(kit.jobs.rows.size).toBe(0);
  });

  it('rejects an unknown broker endpoint naming the connector field', async () => {
    const request = kit.installation();
    request.jobConfig.connectors.outputEndpoint = 'nowhere';
    expect(await errorOf(kit.useCases.install.execute(request))).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'jobConfig.connectors.outputEndpoint' }],
    });
  });

  it('rejects a runtime the template does not support', async () => {
    await kit.registerRuntime('flink', 'cluster');
    expect(
      await errorOf(
        kit.useCases.install.execute(
          kit.installation({ jobType: 'edge-only', runtime: 'flink', targetResource: 'cluster' }),
        ),
      ),
    ).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'headers.runtime' }] });
  });

  it('needs a registered target resource', async () => {
    expect(
      await errorOf(kit.useCases.install.execute(kit.installation({ targetResource: 'gw-9' }))),
    ).toMatchObject({
      code: 'NOT_FOUND',
      errors: [{ field: 'headers.targetResource' }],
    });
  });

  it('refuses an unreachable target resource with 503', async () => {
    await kit.registerRuntime('edge', 'gw-2', 'UNREACHABLE');
    expect(
      await errorOf(kit.useCases.install.execute(kit.installation({ targetResource: 'gw-2' }))),
    ).toMatchObject({
      code: 'RUNTIME_UNAVAILABLE',
      errors: [{ field: 'headers.targetResource' }],
    });
    expect(kit.edge.calls).toEqual([]);
  });

  it('leaves nothing installed and records the reason when the runtime refuses', async () => {
    kit.edge.refuse.install = 'artifact checksum mismatch';
    const body = await errorOf(kit.useCases.install.execute(kit.installation()));
    expect(body).toMatchObject({ code: 'RUNTIME_ERROR' });
    const [job] = [...kit.jobs.rows.values()];
    expect(job).toMatchObject({ status: 'UNINSTALLED', operation: null });
    expect(job.failureReason).toContain('artifact checksum mismatch');
    expect(kit.edge.placementsOf(job.id)).toEqual([]);
    expect(kit.jobs.historyRows.map((h) => h.status)).toEqual(['UNINSTALLED']);
  });

  it('does not call the runtime when the topology cannot be declared', async () => {
    kit.topology.failure = new Error('broker down');
    await expect(kit.useCases.install.execute(kit.installation())).rejects.toThrow('broker down');
    expect(kit.edge.calls.filter((c) => c.startsWith('install'))).toEqual([]);
    expect([...kit.jobs.rows.values()][0]).toMatchObject({
      status: 'UNINSTALLED',
      operation: null,
    });
  });
});
