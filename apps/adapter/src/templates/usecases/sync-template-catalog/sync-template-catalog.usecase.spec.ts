import { AdapterTestKit } from '../../../testing/adapter-test-kit';

describe('SyncTemplateCatalogUseCase', () => {
  it('records every catalog template with its manifest, idempotently', async () => {
    const kit = new AdapterTestKit();
    expect(await kit.useCases.syncTemplates.execute()).toBe(3);
    expect(await kit.useCases.syncTemplates.execute()).toBe(3);
    const rows = await kit.templateRows.list();
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.jobType === 'window-aggregation')?.manifest.stateful).toBe(true);
  });
});
