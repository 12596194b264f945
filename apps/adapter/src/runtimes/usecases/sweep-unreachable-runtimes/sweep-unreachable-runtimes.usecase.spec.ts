import { DEFAULT_HEARTBEAT_MISSES } from '@ruleshift/contracts';
import { AdapterTestKit } from '../../../testing/adapter-test-kit';

describe('SweepUnreachableRuntimesUseCase', () => {
  const interval = 1000;

  it(`marks an agent UNREACHABLE only after ${DEFAULT_HEARTBEAT_MISSES} missed heartbeats`, async () => {
    const kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    kit.clock.advance(DEFAULT_HEARTBEAT_MISSES * interval);
    expect(await kit.useCases.sweep.execute({ heartbeatIntervalMs: interval })).toEqual([]);
    kit.clock.advance(1);
    expect(await kit.useCases.sweep.execute({ heartbeatIntervalMs: interval })).toEqual(['gw-1']);
    expect((await kit.runtimes.find('edge', 'gw-1'))?.health).toBe('UNREACHABLE');
  });

  it('leaves agents that keep beating UP', async () => {
    const kit = new AdapterTestKit();
    await kit.registerRuntime('edge', 'gw-1');
    kit.clock.advance(10 * interval);
    await kit.registerRuntime('edge', 'gw-1');
    expect(await kit.useCases.sweep.execute({ heartbeatIntervalMs: interval })).toEqual([]);
  });
});
