import { AdapterTestKit } from '../../../testing/adapter-test-kit';

describe('ListTemplatesUseCase', () => {
  it('lists the catalog', async () => {
    const kit = new AdapterTestKit();
    const list = await kit.useCases.listTemplates.execute({});
    expect(list.map((t) => t.jobType)).toEqual(['filter', 'window-aggregation', 'edge-only']);
    expect(list[0].artifacts.edge?.path).toBe('/artifacts/filter/1.0.0/edge');
  });
});
