import { AdapterTestKit } from '../../../testing/adapter-test-kit';

describe('ListJobsUseCase', () => {
  it('lists every job with its details', async () => {
    const kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    const a = await kit.useCases.install.execute(kit.installation());
    const b = await kit.useCases.start.execute(
      await kit.useCases.install.execute(kit.installation({ jobType: 'window-aggregation' })),
    );
    const jobs = (await kit.useCases.listJobs.execute({})).items;
    expect(jobs.map((j) => [j.jobId, j.jobStatus]).sort()).toEqual(
      [
        [a.jobId, 'INSTALLED'],
        [b.jobId, 'RUNNING'],
      ].sort(),
    );
    expect(jobs.find((j) => j.jobId === b.jobId)?.history).toHaveLength(2);
  });

  it('is empty on a fresh registry', async () => {
    expect(await new AdapterTestKit().useCases.listJobs.execute({})).toEqual({ items: [] });
  });

  it('pages with a cursor: every job exactly once, then no cursor', async () => {
    const kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    const installed: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      installed.push((await kit.useCases.install.execute(kit.installation())).jobId);
      kit.clock.advance(1);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await kit.useCases.listJobs.execute({ limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((j) => j.jobId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(installed);
  });

  it('refuses a bad limit or cursor with a 400 naming the field', async () => {
    const kit = new AdapterTestKit();
    await expect(kit.useCases.listJobs.execute({ limit: 0 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'limit' }],
    });
    await expect(kit.useCases.listJobs.execute({ limit: 501 })).rejects.toMatchObject({
      errors: [{ field: 'limit' }],
    });
    await expect(kit.useCases.listJobs.execute({ cursor: 'not-a-cursor' })).rejects.toMatchObject({
      errors: [{ field: 'cursor' }],
    });
  });
});
