/**
 * Chaos: the RabbitMQ broker process is stopped and started again (rabbitmqctl stop, then
 * rabbitmq-server -detached, on the suite's own node) while a filter and a window count run on
 * an agent and on Flink. Every component reconnects on its own; every confirmed event is
 * filtered exactly as it would be undisturbed, and no window counts an input twice.
 */
import { waitUntil } from '../integration/support/system';
import { ChaosRun, expectExact } from './support/chaos-system';
import { restartRabbitmq } from './support/faults';

describe('chaos: RabbitMQ restarted under edge and Flink rules', () => {
  let run: ChaosRun | undefined;

  beforeAll(async () => {
    run = await ChaosRun.start('rabbitmq-restart', { agents: ['gw1'], flink: true });
  }, 600_000);

  afterAll(async () => {
    await run?.stop();
  });

  it('loses nothing and counts nothing twice across a broker restart', async () => {
    const chaos = run!;
    await chaos.guard(async () => {
      const edgeFilter = await chaos.addRule({
        name: 'edge-filter',
        kind: 'filter',
        runtime: 'edge',
        target: 'gw1',
      });
      await chaos.addRule({ name: 'edge-window', kind: 'window', runtime: 'edge', target: 'gw1' });
      const flinkFilter = await chaos.addRule({
        name: 'flink-filter',
        kind: 'filter',
        runtime: 'flink',
        target: 'flink',
      });
      await chaos.addRule({
        name: 'flink-window',
        kind: 'window',
        runtime: 'flink',
        target: 'flink',
      });

      const stream = chaos.stream(3_000, chaos.rules, 25, 100);
      await waitUntil(
        'outputs on both runtimes before the restart',
        async () =>
          edgeFilter.collector.outputs.length > 100 && flinkFilter.collector.outputs.length > 100,
        180_000,
      );
      // The producer is a device, not what is under test: it stops publishing while the broker
      // is down and resumes afterwards (the rules hold unacked inputs across the restart).
      await stream.pause();
      await restartRabbitmq();
      stream.resume();
      await stream.done;

      for (const rule of chaos.rules) await chaos.waitForStatus(rule, 'RUNNING');
      expectExact(await chaos.finish());
    });
  });
});
