import { AdapterTestKit } from '../../../testing/adapter-test-kit';

describe('ListRuntimesUseCase', () => {
  it('lists registered runtimes with health and last-seen time', async () => {
    const kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    await kit.registerRuntime('edge', 'gw-2', 'UNREACHABLE');
    const list = await kit.useCases.listRuntimes.execute({});
    expect(list).toEqual([
      expect.objectContaining({
        runtime: 'edge',
        targetResource: 'gw-1',
        health: 'UP',
        lastSeenAt: '2026-01-01T00:00:00.000Z',
      }),
      expect.objectContaining({ runtime: 'edge', targetResource: 'gw-2', health: 'UNREACHABLE' }),
    ]);
  });
});
