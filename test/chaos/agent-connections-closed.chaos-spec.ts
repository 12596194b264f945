/**
 * Chaos: the broker closes every connection of an agent (`rabbitmqctl close_connection`, edge
 * and core) mid-stream, twice, while a filter and a window count (stateful) run on it. The agent
 * reconnects without restarting; RabbitMQ redelivers what was unacked, and the window must not
 * count those inputs again.
 */
import { waitUntil } from '../integration/support/system';
import { ChaosRun, expectExact } from './support/chaos-system';
import { closeBrokerConnectionsOf } from './support/faults';

describe('chaos: every connection of an agent closed by the broker', () => {
  let run: ChaosRun | undefined;

  beforeAll(async () => {
    run = await ChaosRun.start('agent-connections-closed', { agents: ['gw1'] });
  }, 600_000);

  afterAll(async () => {
    await run?.stop();
  });

  it('reconnects and neither loses nor double-counts an input', async () => {
    const chaos = run!;
    await chaos.guard(async () => {
      const filter = await chaos.addRule({
        name: 'edge-filter',
        kind: 'filter',
        runtime: 'edge',
        target: 'gw1',
      });
      const window = await chaos.addRule({
        name: 'edge-window',
        kind: 'window',
        runtime: 'edge',
        target: 'gw1',
      });
      const agentPid = chaos.system.process('gw1').pid!;

      const stream = chaos.stream(4_000, chaos.rules, 25, 50);
      for (const atLeast of [100, 600]) {
        await waitUntil(
          `outputs before closing the agent's connections (${atLeast})`,
          async () =>
            filter.collector.outputs.length > atLeast && window.collector.outputs.length > 0,
          120_000,
        );
        expect(await closeBrokerConnectionsOf(agentPid)).toBeGreaterThan(0);
      }
      await stream.done;
      // Still the same process: it reconnected rather than restarted.
      expect(chaos.system.process('gw1').pid).toBe(agentPid);
      expect(chaos.system.process('gw1').running).toBe(true);
      expectExact(await chaos.finish());
    });
  });
});
