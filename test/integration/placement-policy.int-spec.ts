/**
 * Issue 11, placement policies, against the real RabbitMQ and PostgreSQL with proxy, adapter and
 * three agents as separate processes: an auto rule leaves an overloaded agent for its other
 * candidate and comes back once the load dropped, every event exactly once; an agent killed:
 * its auto rules move to their other candidate.
 */
import { AmqpTestClient, type Collector } from './support/amqp';
import { PacedProducer, ProcessThrottle } from './support/load';
import { filterInstallation, uniqueConnectors, type NamedConnectors } from './support/rules';
import { waitUntil, type RuleshiftSystem } from './support/system';
import { printLogsOnFailure, startTestSystem, type TestSystem } from './support/test-system';

interface JobDetails {
  jobId: string;
  runtime: string;
  targetResource: string;
  jobStatus: string;
  history: { status: string; targetResource: string; reason?: string }[];
  placement: { mode: string };
  placementDecisions?: Decision[];
}
interface Decision {
  jobId: string;
  action: 'move' | 'stay';
  kind: string;
  from: string;
  to?: string;
  reason: string;
  outcome?: string;
  signals: Record<string, number | string>;
}

/**
 * Tight so the test runs in seconds; the defaults are for production (README). CPU is off: on
 * a machine shared with other suites an agent's CPU says little about its own rules.
 */
const thresholds = {
  samples: 4,
  breaches: 3,
  backlogHigh: 500,
  backlogLow: 20,
  backlogGrowthHigh: 0,
  cpuHigh: 0,
  cpuLow: 0,
  cooldownMs: 4000,
  returnRatio: 0.5,
};

describe('placement policy (separate processes, real RabbitMQ + PostgreSQL)', () => {
  let testSystem: TestSystem | undefined;
  let system: RuleshiftSystem;
  let amqp: AmqpTestClient;
  let core: AmqpTestClient | undefined;

  beforeAll(async () => {
    testSystem = await startTestSystem({
      agents: ['gw1', 'gw2', 'gw3'],
      extraEnv: { PLACEMENT_INTERVAL_MS: '500' },
    });
    ({ system, amqp } = testSystem);
    core = await AmqpTestClient.connect(system.coreAmqpUrl);
  });

  afterAll(async () => {
    await core?.close();
    await testSystem?.stop();
  });

  /** A service's queue on ruleshift.events (core broker), bound before anything happens. */
  const jobEvents = async (routingKey: string): Promise<Collector> => {
    const queue = `placement-it-${routingKey}`;
    await core!.channel.assertExchange('ruleshift.events', 'topic', { durable: true });
    await core!.channel.assertQueue(queue, { durable: false, autoDelete: true });
    await core!.channel.bindQueue(queue, 'ruleshift.events', routingKey);
    return core!.collectExisting(queue);
  };

  printLogsOnFailure(() => system);

  const job = async (jobId: string): Promise<JobDetails> =>
    (await system.api<JobDetails>('GET', `/api/jobs/${jobId}`)).body;

  const installAuto = async (
    connectors: NamedConnectors,
    on: string,
    candidates: string[],
  ): Promise<string> => {
    const installed = await system.api<{ jobId: string }>('POST', '/api/install', {
      ...filterInstallation(on, connectors),
      placement: { mode: 'auto', candidates, prefer: candidates[0], thresholds },
    });
    expect(installed.status).toBe(200);
    const started = await system.api<{ jobStatus: string }>('POST', '/api/start', {
      ...installed.body,
    });
    expect(started.body.jobStatus).toBe('RUNNING');
    return installed.body.jobId;
  };

  /** Waits for the rule on `agent`; on a timeout, prints what the policy decided meanwhile. */
  const placedOn = async (jobId: string, agent: string, timeoutMs = 60_000) => {
    try {
      return await waitUntil(
        `job ${jobId} RUNNING on ${agent}`,
        async () => {
          const details = await job(jobId);
          return details.targetResource === agent && details.jobStatus === 'RUNNING' && details;
        },
        timeoutMs,
        100,
      );
    } catch (error) {
      const { body } = await system.api('GET', `/api/placement/decisions?jobId=${jobId}`);
      console.log(JSON.stringify(body, null, 1));
      throw error;
    }
  };

  /** Every seq from 0 to sent-1 exactly once in the output, waiting for the last one. */
  const expectExactlyOnce = async (output: Collector, sent: number) => {
    await waitUntil(`all ${sent} outputs`, async () => output.count >= sent, 120_000);
    const seqs = output.json<{ seq: number }>().map((e) => e.seq);
    const seen = new Set(seqs);
    const missing = Array.from({ length: sent }, (_, i) => i).filter((i) => !seen.has(i));
    console.log(
      `placement: sent ${sent}, received ${seqs.length}, missing ${missing.length}, ` +
        `duplicate ${seqs.length - seen.size}`,
    );
    expect(missing).toEqual([]);
    expect(seqs.length - seen.size).toBe(0);
  };

  it('moves an auto rule off an overloaded agent and back once the load dropped, every event exactly once', async () => {
    const connectors = uniqueConnectors('placement');
    const output = await amqp.collect(
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );
    const movedEvents = await jobEvents('job.filter.moved');
    const jobId = await installAuto(connectors, 'gw1', ['edge/gw1', 'edge/gw2']);
    const producer = new PacedProducer(amqp, connectors.inputExchange, connectors.inputRoutingKey);
    // gw1 becomes a weak gateway (10% of its speed); the producer outpaces it.
    const throttle = new ProcessThrottle(system, 'gw1', 180, 20);
    throttle.start();
    producer.setRate(3000);
    producer.start();
    try {
      await placedOn(jobId, 'gw2');
    } finally {
      await throttle.stop();
    }
    // The load drops far below what gw1 managed: the rule returns to gw1, its preferred place.
    producer.setRate(20);
    await placedOn(jobId, 'gw1');
    await producer.stop();
    // Sentinel: the last event processed means every earlier one was.
    await producer.publish(1);
    await expectExactlyOnce(output, producer.sent);

    const decisions = (
      await system.api<{ decisions: Decision[] }>(
        'GET',
        `/api/placement/decisions?jobId=${jobId}&limit=500`,
      )
    ).body.decisions;
    const moves = decisions.filter((d) => d.action === 'move').reverse();
    for (const d of moves)
      console.log(`placement ${d.kind}: ${d.reason} ${JSON.stringify(d.signals)}`);
    expect(moves).toEqual([
      expect.objectContaining({
        kind: 'overload',
        from: 'edge/gw1',
        to: 'edge/gw2',
        outcome: 'done',
        reason: expect.stringMatching(/samples overloaded \(backlog \d+ >= 500/),
        signals: expect.objectContaining({ backlog: expect.any(Number), health: 'UP' }),
      }),
      expect.objectContaining({
        kind: 'return',
        from: 'edge/gw2',
        to: 'edge/gw1',
        outcome: 'done',
      }),
    ]);
    const details = await job(jobId);
    expect(details.placementDecisions?.[0]).toMatchObject({ kind: 'return' });
    await waitUntil('two moved events', async () => movedEvents.count >= 2);
    expect(movedEvents.json().filter((e) => e.jobId === jobId)).toEqual([
      expect.objectContaining({
        event: 'moved',
        targetResource: 'gw2',
        from: { runtime: 'edge', targetResource: 'gw1' },
        reason: expect.stringMatching(/^placement policy, overload/),
      }),
      expect.objectContaining({
        event: 'moved',
        targetResource: 'gw1',
        reason: expect.stringMatching(/^placement policy, return/),
      }),
    ]);
    expect(details.history.filter((h) => h.reason?.includes('placement policy'))).toEqual([
      expect.objectContaining({ targetResource: 'gw2', reason: expect.stringMatching(/overload/) }),
      expect.objectContaining({ targetResource: 'gw1', reason: expect.stringMatching(/return/) }),
    ]);
  });

  it('an agent killed: its auto rules move to their other candidate, none of their events lost; back, its stray copies are retired and the rules return', async () => {
    const rules = [uniqueConnectors('evacuate-a'), uniqueConnectors('evacuate-b')];
    const outputs = await Promise.all(
      rules.map((c) =>
        amqp.collect(c.outputExchange, c.outputRoutingKey, `${c.outputExchange}.collector`),
      ),
    );
    const jobIds = [
      await installAuto(rules[0], 'gw3', ['edge/gw3', 'edge/gw1']),
      await installAuto(rules[1], 'gw3', ['edge/gw3', 'edge/gw2']),
    ];
    const producers = rules.map((c) => new PacedProducer(amqp, c.inputExchange, c.inputRoutingKey));
    for (const producer of producers) {
      producer.setRate(200);
      producer.start();
    }
    await waitUntil('outputs flowing', async () => outputs.every((o) => o.count > 100));
    await system.kill('gw3');
    await placedOn(jobIds[0], 'gw1');
    await placedOn(jobIds[1], 'gw2');
    for (const producer of producers) {
      await producer.stop();
      await producer.publish(1);
    }
    for (const [i, output] of outputs.entries()) {
      // A killed agent's unacknowledged inputs come again: at least once, none missing.
      await waitUntil(`outputs of rule ${i}`, async () => output.count >= producers[i].sent);
      const seen = new Set(output.json<{ seq: number }>().map((e) => e.seq));
      const missing = Array.from({ length: producers[i].sent }, (_, s) => s).filter(
        (s) => !seen.has(s),
      );
      console.log(
        `evacuation rule ${i}: sent ${producers[i].sent}, received ${output.count}, ` +
          `missing ${missing.length}, duplicate ${output.count - seen.size}`,
      );
      expect(missing).toEqual([]);
      const evacuation = (await job(jobIds[i])).placementDecisions?.find(
        (d) => d.action === 'move',
      );
      expect(evacuation).toMatchObject({
        kind: 'evacuate',
        from: 'edge/gw3',
        outcome: 'done',
        signals: expect.objectContaining({ health: 'UNREACHABLE', inputConsumers: 0 }),
      });
    }

    // gw3 comes back with both rules on its disk: the adapter has the stray copies uninstalled
    // there, and once gw3 is quiet for the policy the rules return to it, their preferred place.
    system.restart('gw3');
    const agentLog = () => system.process('gw3').logs();
    await waitUntil('both stray rules retired on gw3', async () =>
      jobIds.every((id) => system.process('adapter').logs().includes(`agent gw3 ran job ${id}`)),
    );
    for (const jobId of jobIds) {
      await placedOn(jobId, 'gw3');
      expect(agentLog()).toContain(`rule.uninstalled {"jobId":"${jobId}"}`);
      expect((await job(jobId)).placementDecisions?.[0]).toMatchObject({
        kind: 'return',
        to: 'edge/gw3',
        outcome: 'done',
      });
    }
  });
});
