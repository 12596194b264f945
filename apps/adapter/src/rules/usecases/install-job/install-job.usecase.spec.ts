import { BrokerError } from '@ruleshift/broker';
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

  it('refuses parallelism on an edge agent, naming the field, before anything is written', async () => {
    const request = kit.installation();
    request.jobConfig.parallelism = 4;
    request.jobConfig.connectors.partitionKey = { source: 'header', name: 'deviceId' };
    expect(await errorOf(kit.useCases.install.execute(request))).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'jobConfig.parallelism' }],
    });
    expect(kit.jobs.rows.size).toBe(0);
    expect(kit.topology.declared).toEqual([]);
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

  it.each([
    ['PRECONDITION_FAILED', 'CONFLICT'],
    ['ACCESS_REFUSED', 'VALIDATION_FAILED'],
    ['NOT_FOUND', 'VALIDATION_FAILED'],
    ['CHANNEL_CLOSED', 'RUNTIME_UNAVAILABLE'],
  ] as const)(
    'answers a broker %s as %s naming the connectors and releases the job',
    async (replyCode, code) => {
      kit.topology.failure = BrokerError.of(replyCode, "inequivalent arg 'type' for exchange");
      expect(await errorOf(kit.useCases.install.execute(kit.installation()))).toMatchObject({
        code,
        errors: [{ field: 'jobConfig.connectors' }],
      });
      const [job] = [...kit.jobs.rows.values()];
      expect(job).toMatchObject({ status: 'UNINSTALLED', operation: null });
      expect(job.failureReason).toContain('inequivalent arg');
      // The adapter keeps serving: the next install goes through.
      kit.topology.failure = null;
      await expect(kit.useCases.install.execute(kit.installation())).resolves.toMatchObject({
        jobStatus: 'INSTALLED',
      });
    },
  );

  it('releases the job even when recording the failure fails', async () => {
    kit.topology.failure = new Error('broker down');
    jest.spyOn(kit.jobs, 'appendHistory').mockRejectedValueOnce(new Error('registry down'));
    await expect(kit.useCases.install.execute(kit.installation())).rejects.toThrow('registry down');
    expect([...kit.jobs.rows.values()][0]).toMatchObject({
      status: 'UNINSTALLED',
      operation: null,
    });
  });

  it('refuses names AMQP cannot carry before anything is written, whoever calls', async () => {
    const request = kit.installation();
    request.jobConfig.connectors.outputExchange = 'x'.repeat(256);
    request.jobConfig.connectors.inputRoutingKey = 'a\u0000b';
    expect(await errorOf(kit.useCases.install.execute(request))).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [
        { field: 'jobConfig.connectors.inputRoutingKey' },
        { field: 'jobConfig.connectors.outputExchange' },
      ],
    });
    expect(kit.jobs.rows.size).toBe(0);
    expect(kit.topology.declared).toEqual([]);
  });
});
