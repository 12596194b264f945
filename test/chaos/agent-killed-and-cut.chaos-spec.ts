/**
 * Chaos: an agent is SIGKILLed mid-stream, started again while cut from the core broker (its
 * core connection goes through a TCP link the suite cuts) and left without the core for 30 s,
 * while its edge broker keeps flowing. Its rules must keep processing from local state during
 * the cut, and it must report UP again and reconcile once the core returns.
 */
import { RABBITMQ_HOST } from '../integration/support/services';
import { sleep, waitUntil } from '../integration/support/system';
import { ChaosRun, expectExact } from './support/chaos-system';
import { TcpLink } from './support/tcp-link';

const CUT_MS = 30_000;

describe('chaos: agent SIGKILLed, restarted and cut from the core for 30 s', () => {
  let run: ChaosRun | undefined;
  let link: TcpLink | undefined;

  beforeAll(async () => {
    const [host, port] = RABBITMQ_HOST.split(':');
    const coreLink = await TcpLink.open(host, Number(port));
    link = coreLink;
    run = await ChaosRun.start('agent-killed-and-cut', {
      agents: ['gw1'],
      agentEnv: ({ coreUrl }) => ({ gw1: { CORE_AMQP_URL: coreLink.url(coreUrl) } }),
    });
  }, 600_000);

  afterAll(async () => {
    link?.restore();
    await run?.stop();
    await link?.close();
  });

  it('keeps processing on the edge without the core, then reconciles', async () => {
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
      const stream = chaos.stream(6_000, chaos.rules, 25, 100);
      await waitUntil(
        'outputs before the kill',
        async () => filter.collector.outputs.length > 100,
        120_000,
      );

      await chaos.system.kill('gw1', 'SIGKILL');
      link!.cut();
      chaos.system.restart('gw1');
      const cutAt = Date.now();
      const atCut = filter.collector.outputs.length;
      // While the core is unreachable, the restarted agent's rules keep filtering.
      await waitUntil(
        'outputs of the restarted agent during the cut',
        async () => filter.collector.outputs.length > atCut + 200,
        CUT_MS,
      );
      await sleep(Math.max(0, CUT_MS - (Date.now() - cutAt)));
      link!.restore();

      await chaos.system.waitForAgents(['gw1'], 120_000);
      await stream.done;
      for (const rule of [filter, window])
        expect((await chaos.details(rule)).jobStatus).toBe('RUNNING');
      expectExact(await chaos.finish());
    });
  });
});
