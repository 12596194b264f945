import { AdapterTestKit } from '../../../testing/adapter-test-kit';

describe('ListJobsUseCase', () => {
  it('lists every job with its details', async () => {
    const kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    const a = await kit.useCases.install.execute(kit.installation());
    const b = await kit.useCases.start.execute(
      await kit.useCases.install.execute(kit.installation({ jobType: 'window-aggregation' })),
    );
    const jobs = await kit.useCases.listJobs.execute({});
    expect(jobs.map((j) => [j.jobId, j.jobStatus]).sort()).toEqual(
      [
        [a.jobId, 'INSTALLED'],
        [b.jobId, 'RUNNING'],
      ].sort(),
    );
    expect(jobs.find((j) => j.jobId === b.jobId)?.history).toHaveLength(2);
  });

  it('is empty on a fresh registry', async () => {
    expect(await new AdapterTestKit().useCases.listJobs.execute({})).toEqual([]);
  });
});
