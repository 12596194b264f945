import { AdapterTestKit } from '../../../testing/adapter-test-kit';

describe('CheckHealthUseCase', () => {
  it('is ok when the database and the core broker answer', async () => {
    const kit = new AdapterTestKit();
    expect(await kit.useCases.health.execute({})).toEqual({
      status: 'ok',
      components: { database: { status: 'up' }, coreBroker: { status: 'up' } },
    });
  });

  it('is degraded and says which component is down', async () => {
    const kit = new AdapterTestKit();
    kit.database.failure = new Error('connection refused');
    kit.brokers.coreDown = true;
    expect(await kit.useCases.health.execute({})).toEqual({
      status: 'degraded',
      components: {
        database: { status: 'down', detail: 'connection refused' },
        coreBroker: { status: 'down', detail: 'core is down' },
      },
    });
  });
});
