/**
 * Chaos: PostgreSQL (the suite's own cluster) restarted with `pg_ctl restart -m fast` while
 * installs and moves go through the API and a filter and a window count keep processing.
 * Every call either succeeds or gets a clear 503 (202 when the operation completes later);
 * a pending operation ends by itself (the active adapter rides out the outage, no new term
 * needed), the move after the restart succeeds, no job is held by an operation, no move is
 * left half-done, no install answered 503 left a live job behind, and the moved window counted
 * every input exactly once.
 */
import { jobInfoOf } from '../integration/support/flink-rules';
import { filterInstallation, uniqueConnectors } from '../integration/support/rules';
import { waitUntil } from '../integration/support/system';
import { ChaosRun, expectExact } from './support/chaos-system';
import { restartPostgres } from './support/faults';
import { RegistryProbe } from './support/registry';

interface Call {
  op: string;
  status: number;
  inputExchange?: string;
  body: unknown;
}

describe('chaos: PostgreSQL restarted during installs and moves', () => {
  let run: ChaosRun | undefined;
  const installed: string[] = [];

  beforeAll(async () => {
    run = await ChaosRun.start('postgres-restart', { agents: ['gw1', 'gw2'] });
  }, 600_000);

  afterAll(async () => {
    for (const jobId of installed) {
      const details = await run?.system.api<{ jobStatus: string; jobId: string }>(
        'GET',
        `/api/jobs/${jobId}`,
      );
      if (details?.status === 200 && details.body.jobStatus !== 'UNINSTALLED') {
        await run?.system.api('POST', '/api/uninstall', details.body).catch(() => undefined);
      }
    }
    await run?.stop();
  });

  it('answers 200 or a clear 503 and leaves nothing half-done', async () => {
    const chaos = run!;
    const registry = new RegistryProbe(chaos.system.databaseUrl);
    await chaos.guard(async () => {
      await chaos.addRule({ name: 'edge-filter', kind: 'filter', runtime: 'edge', target: 'gw1' });
      const window = await chaos.addRule({
        name: 'edge-window',
        kind: 'window',
        runtime: 'edge',
        target: 'gw1',
      });
      const stream = chaos.stream(4_000, chaos.rules, 25, 100);
      await waitUntil(
        'outputs before the restart',
        async () => window.collector.outputs.length > 8,
        120_000,
      );

      const calls: Call[] = [];
      const api = async (op: string, body: unknown, inputExchange?: string): Promise<Call> => {
        const call = await chaos.system
          .api('POST', `/api/${op}`, body)
          .then((r) => ({ op, status: r.status, body: r.body, inputExchange }))
          .catch((error: unknown) => ({ op, status: 0, body: String(error), inputExchange }));
        calls.push(call);
        return call;
      };

      // Rounds of two installs and a move at once; in the second round PostgreSQL restarts as
      // soon as the move is under way, so installs and the move straddle the restart.
      let target = 'gw2';
      for (let round = 0; round < 4; round++) {
        const since = Date.now() - 1_000;
        const installs = Array.from({ length: 2 }, () => {
          const connectors = uniqueConnectors('chaos-pg-install');
          return api('install', filterInstallation('gw2', connectors), connectors.inputExchange);
        });
        const move = api('move', {
          target_runtime: 'edge',
          targetResource: target,
          jobInfo: chaos.jobInfo(window),
        });
        if (round === 1) {
          await registry.waitForMoveStep(window.job.jobId, 'STOPPING', since, 60_000);
          await restartPostgres();
        }
        for (const install of await Promise.all(installs)) {
          if (install.status === 200) installed.push((install.body as { jobId: string }).jobId);
        }
        await move;
        // Whatever the answer, the registry says where the rule is now, once no operation
        // holds it (a 202 names the job that stays held until its operation ends).
        const now = await waitUntil('the window rule readable and not held', async () => {
          const details = await chaos.details(window).catch(() => undefined);
          return details && !details.pendingOperation ? details : undefined;
        });
        window.job = jobInfoOf(now);
        target = now.targetResource === 'gw1' ? 'gw2' : 'gw1';
      }
      await stream.done;

      const summary = calls.map((c) => `${c.op}:${c.status}`).join(' ');
      process.stdout.write(`  postgres-restart calls: ${summary}\n`);
      expect(calls.filter((c) => ![200, 202, 503].includes(c.status))).toEqual([]);
      // PostgreSQL is long back: the last move needs no new adapter term to succeed.
      expect(calls.filter((c) => c.op === 'move').at(-1)?.status).toBe(200);

      await waitUntil('no held job and no open move', async () => {
        const left = await registry.unfinished();
        return left.heldJobs === 0 && left.openMoves === 0;
      });
      // 503: never took effect. (A 202 install ends either way; it is not held any more.)
      for (const call of calls.filter((c) => c.op === 'install' && c.status === 503)) {
        const statuses = await registry.statusesForInput(call.inputExchange!);
        expect(statuses.filter((s) => s !== 'UNINSTALLED')).toEqual([]);
      }
      expect((await chaos.details(window)).jobStatus).toBe('RUNNING');
      expectExact(await chaos.finish());
    });
  });
});
