/**
 * Chaos: with the adapter down, installs are sent through the proxy; the proxy is restarted
 * while some are in flight (their callers see the connection fail) and more are sent after it
 * (they get 503). When the adapter comes back, none of the requests whose caller saw a failure
 * may take effect. A filter keeps running on the agent throughout (the data plane does not need
 * the control plane), and an install sent after the adapter is back succeeds.
 */
import { filterInstallation, uniqueConnectors } from '../integration/support/rules';
import { sleep, waitUntil } from '../integration/support/system';
import { ChaosRun, expectExact } from './support/chaos-system';
import { RegistryProbe } from './support/registry';

interface Attempt {
  inputExchange: string;
  status: number;
}

describe('chaos: proxy restarted while the adapter is down', () => {
  let run: ChaosRun | undefined;

  beforeAll(async () => {
    run = await ChaosRun.start('proxy-restarted-adapter-down', { agents: ['gw1'] });
  }, 600_000);

  afterAll(async () => {
    await run?.stop();
  });

  it('no request the caller saw fail takes effect afterwards', async () => {
    const chaos = run!;
    const registry = new RegistryProbe(chaos.system.databaseUrl);
    await chaos.guard(async () => {
      const filter = await chaos.addRule({
        name: 'edge-filter',
        kind: 'filter',
        runtime: 'edge',
        target: 'gw1',
      });
      const stream = chaos.stream(3_000, [filter], 25, 100);
      const install = async (): Promise<Attempt> => {
        const connectors = uniqueConnectors('chaos-ghost');
        const status = await chaos.system
          .api('POST', '/api/install', filterInstallation('gw1', connectors))
          .then((r) => r.status)
          .catch(() => 0);
        return { inputExchange: connectors.inputExchange, status };
      };

      await chaos.system.kill('adapter', 'SIGKILL');
      // In flight when the proxy goes away: their callers see the connection fail.
      const inFlight = Array.from({ length: 3 }, () => install());
      await sleep(2_000);
      await chaos.system.kill('proxy', 'SIGTERM');
      chaos.system.restart('proxy');
      await waitUntil('the proxy answering again', async () =>
        chaos.system.api('GET', '/api/health').then(
          () => true,
          () => false,
        ),
      );
      // Sent to the restarted proxy while the adapter is still down.
      const afterRestart = await Promise.all(Array.from({ length: 3 }, () => install()));
      const attempts = [...(await Promise.all(inFlight)), ...afterRestart];
      const failed = attempts.filter((a) => a.status !== 200);
      process.stdout.write(
        `  proxy-restarted-adapter-down: answers while the adapter was down: ${attempts.map((a) => a.status).join(' ')}\n`,
      );

      chaos.system.restart('adapter');
      const sentinel = await waitUntil(
        'an install through the restarted adapter',
        async () => {
          const attempt = await install();
          return attempt.status === 200 ? attempt : undefined;
        },
        180_000,
        2_000,
      );
      expect(sentinel.status).toBe(200);
      await waitUntil('no held job', async () => (await registry.unfinished()).heldJobs === 0);

      const ghosts: string[] = [];
      for (const attempt of failed) {
        const live = (await registry.statusesForInput(attempt.inputExchange)).filter(
          (s) => s !== 'UNINSTALLED',
        );
        if (live.length)
          ghosts.push(
            `${attempt.inputExchange} (answered ${attempt.status}, now ${live.join(',')})`,
          );
      }
      process.stdout.write(
        `  proxy-restarted-adapter-down: ${failed.length} failed requests, ${ghosts.length} took effect later\n`,
      );
      expect(ghosts).toEqual([]);
      await stream.done;
      expectExact(await chaos.finish());
    });
  });
});
