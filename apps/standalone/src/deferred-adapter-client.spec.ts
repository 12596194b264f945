import type { AdapterClient } from '@ruleshift/contracts';
import { DeferredAdapterClient } from './deferred-adapter-client';

describe('DeferredAdapterClient', () => {
  it('answers 503-style RuntimeUnavailable until bound, then forwards', async () => {
    const client = new DeferredAdapterClient();
    await expect(client.send('templates.list', {})).rejects.toMatchObject({
      code: 'RUNTIME_UNAVAILABLE',
      errors: [{ field: 'adapter', reason: 'the adapter is still starting' }],
    });
    const target: AdapterClient = { send: jest.fn().mockResolvedValue([]) };
    client.bind(target);
    await expect(client.send('templates.list', {})).resolves.toEqual([]);
    expect(target.send).toHaveBeenCalledWith('templates.list', {});
  });
});
