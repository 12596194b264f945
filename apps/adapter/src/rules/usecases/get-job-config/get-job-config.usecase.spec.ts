import { AdapterTestKit, errorOf } from '../../../testing/adapter-test-kit';

describe('GetJobConfigUseCase', () => {
  it('returns the rendered RuleConfig under the configFileName of the jobInfo', async () => {
    const kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    const info = await kit.useCases.install.execute(kit.installation());
    const file = await kit.useCases.getJobConfig.execute({ jobId: info.jobId });
    expect(file.configFileName).toBe(info.configFileName);
    expect(file.content).toEqual(kit.edge.rule('gw-1', info.jobId)?.config);
  });

  it('answers NotFound for an unknown job', async () => {
    expect(
      await errorOf(new AdapterTestKit().useCases.getJobConfig.execute({ jobId: 'x' })),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
