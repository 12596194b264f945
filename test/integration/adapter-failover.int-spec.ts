/**
 * Two adapter processes on one registry database (defect 5): exactly one is active and serves;
 * when it is SIGKILLed in the middle of a move, the standby takes the lease within seconds,
 * adopts the move the dead one left IN_PROGRESS and finishes it, and events flow on the target.
 */
import type { AmqpTestClient } from './support/amqp';
import { aboveThreshold, filterInstallation, readings, uniqueConnectors } from './support/rules';
import { type RuleshiftSystem, waitUntil } from './support/system';
import { printLogsOnFailure, startTestSystem, type TestSystem } from './support/test-system';

interface JobInfo {
  runtime: string;
  jobId: string;
  jobType: string;
  jobStatus: string;
  configFileName: string;
}
interface JobDetails extends JobInfo {
  targetResource: string;
  pendingMove?: unknown;
  history: { status: string; reason?: string; targetResource: string }[];
}

const ADAPTERS = ['adapter', 'adapter-2'];

describe('adapter failover (two adapters, one PostgreSQL registry)', () => {
  let testSystem: TestSystem | undefined;
  let system: RuleshiftSystem;
  let amqp: AmqpTestClient;

  beforeAll(async () => {
    testSystem = await startTestSystem({
      agents: ['gw1', 'gw2'],
      standbyAdapters: 1,
      extraEnv: { ADAPTER_LEASE_TTL_MS: '3000', ADAPTER_LEASE_RENEW_MS: '500' },
    });
    ({ system, amqp } = testSystem);
  });

  afterAll(async () => {
    for (const name of ['gw2']) system?.signal(name, 'SIGCONT');
    await testSystem?.stop();
  });

  printLogsOnFailure(() => system);

  /** waitUntil's time-outs are not assertions: print the processes' output with them. */
  const orLogs = async <T>(step: Promise<T>): Promise<T> => {
    try {
      return await step;
    } catch (error) {
      console.log(system.logs());
      throw error;
    }
  };

  /** The adapter process whose pid is in the lease row's holder (`host/pid/term`). */
  const activeAdapter = async (): Promise<string | undefined> => {
    const [row] = await system.query<{ holder: string }>(
      `SELECT holder FROM adapter_lease WHERE expires_at > now()`,
    );
    const pid = row?.holder.split('/')[1];
    return ADAPTERS.find((name) => String(system.process(name).pid) === pid);
  };

  const job = async (jobId: string): Promise<JobDetails | undefined> => {
    const response = await system.api<JobDetails>('GET', `/api/jobs/${jobId}`);
    return response.status === 200 ? response.body : undefined;
  };

  it('serves from one adapter; a SIGKILL mid-move hands over and the standby finishes the move', async () => {
    const connectors = uniqueConnectors('failover');
    const installed = await system.api<JobInfo>(
      'POST',
      '/api/install',
      filterInstallation('gw1', connectors),
    );
    expect(installed.status).toBe(200);
    const running = await system.api<JobInfo>('POST', '/api/start', installed.body);
    expect(running.body.jobStatus).toBe('RUNNING');

    const active = await waitUntil('an active adapter', activeAdapter);
    const standby = ADAPTERS.find((name) => name !== active)!;
    // Only the lease holder consumes requests: the standby never started its request server.
    expect(system.process(active).logs()).toContain('serving ruleshift.adapter');
    expect(system.process(standby).logs()).not.toContain('serving ruleshift.adapter');

    // Freeze the target agent so the move blocks at INSTALLING, then kill the active adapter.
    system.signal('gw2', 'SIGSTOP');
    const move = system
      .api('POST', '/api/move', {
        target_runtime: 'edge',
        targetResource: 'gw2',
        jobInfo: running.body,
      })
      .catch(() => undefined);
    await waitUntil('the move at INSTALLING', async () => {
      const rows = await system.query<{ step: string }>(
        `SELECT step FROM move_operation WHERE job_id = $1 AND state = 'IN_PROGRESS'`,
        [installed.body.jobId],
      );
      return rows[0]?.step === 'INSTALLING';
    });
    await system.kill(active, 'SIGKILL');
    system.signal('gw2', 'SIGCONT');

    // The standby takes the lease within seconds and finishes the dead adapter's move.
    await orLogs(
      waitUntil('the standby active', async () => (await activeAdapter()) === standby, 30_000),
    );
    const moved = await orLogs(
      waitUntil(
        'the move finished on gw2',
        async () => {
          const details = await job(installed.body.jobId);
          return details && !details.pendingMove && details.targetResource === 'gw2'
            ? details
            : undefined;
        },
        60_000,
      ),
    );
    expect(moved.jobStatus).toBe('RUNNING');
    expect(moved.history.at(-1)).toMatchObject({
      status: 'RUNNING',
      targetResource: 'gw2',
      reason: 'moved from edge/gw1',
    });
    const [finished] = await system.query<{ state: string; owner: string }>(
      `SELECT state, owner FROM move_operation WHERE job_id = $1`,
      [installed.body.jobId],
    );
    expect(finished?.state).toBe('DONE');
    expect(finished?.owner.split('/')[1]).toBe(String(system.process(standby).pid));
    await move;

    // The rule runs on gw2 only: events published now come out once each.
    const output = await amqp.collect(
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.test-collector`,
    );
    const events = readings(40);
    await amqp.publishJson(connectors.inputExchange, connectors.inputRoutingKey, events);
    const expected = aboveThreshold(events).length;
    await waitUntil('the filtered events', async () => output.count >= expected);
    const seqs = output.json<{ seq: number }>().map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.sort((a, b) => a - b)).toEqual(
      aboveThreshold(events)
        .map((e) => e.seq)
        .sort((a, b) => a - b),
    );
  });
});
