/**
 * The business-rules template moved edge -> Flink -> edge through POST /api/move while events
 * flow (proxy, adapter, agent gw1 as processes; the real Flink cluster, RabbitMQ, PostgreSQL):
 * every output arrives exactly once, with the same classification and routing key whichever
 * engine produced it, and every bad event is dead-lettered once with the same reason and detail.
 * Sentinels published after the last move mark the end (no sleep before the final counts).
 */
import { liveFlinkJobsOf } from './support/flink';
import { jobDetails } from './support/flink-rules';
import { FLINK_CLUSTER as CLUSTER, useFlinkSuite } from './support/flink-suite';
import { uniqueConnectors, type NamedConnectors } from './support/rules';
import { sleep, waitUntil } from './support/system';
import { TimedCollector } from './support/timed-collector';

interface Event {
  seq: number;
  temperature?: number | string;
}

const RULES = [
  {
    name: 'critical',
    priority: 10,
    when: { path: '$.temperature', op: '>=', value: 30 },
    then: [{ set: '$.severity', value: 'critical' }, { route: 'critical' }, { stop: true }],
  },
  {
    name: 'cold',
    priority: 5,
    when: { path: '$.temperature', op: '<', value: 12 },
    then: [{ drop: true }],
  },
  { name: 'warm', when: { path: '$.temperature', op: '>', value: 20 }, then: [{ tag: 'warm' }] },
];

/** Temperatures 25..31 and 10..16 in turn; every 97th event a string, every 89th none. */
function events(count: number): Event[] {
  return Array.from({ length: count }, (_, seq) => {
    if (seq % 97 === 1) return { seq, temperature: 'hot' };
    if (seq % 89 === 2) return { seq };
    return { seq, temperature: seq % 2 === 0 ? 25 + (seq % 7) : 10 + (seq % 7) };
  });
}

/** What the rules make of each event, written out by hand (the test's oracle). */
function expectations(all: Event[]) {
  const normal: unknown[] = [];
  const critical: unknown[] = [];
  const dead: [number, string, string][] = [];
  for (const e of all) {
    if (e.temperature === undefined) {
      dead.push([e.seq, 'missing-field', 'rule critical: no value at $.temperature']);
    } else if (typeof e.temperature === 'string') {
      dead.push([
        e.seq,
        'wrong-type',
        'rule critical: $.temperature is a string, >= needs a number',
      ]);
    } else if (e.temperature >= 30) {
      critical.push({ ...e, severity: 'critical' });
    } else if (e.temperature >= 12) {
      normal.push(e.temperature > 20 ? { ...e, tags: ['warm'] } : e);
    }
  }
  return { normal, critical, dead };
}

describe('business-rules moved between edge and Flink (real Flink, RabbitMQ, PostgreSQL)', () => {
  const suite = useFlinkSuite();
  const { call, move } = suite;

  const deadLetters = async (jobId: string) => {
    const letters: { seq: number; reason: string; detail: string }[] = [];
    await suite.amqp.channel.consume(`ruleshift.dlq.${jobId}`, (message) => {
      if (!message) return;
      const headers = message.properties.headers ?? {};
      letters.push({
        seq: (JSON.parse(message.content.toString()) as Event).seq,
        reason: String(headers['x-ruleshift-reason']),
        detail: String(headers['x-ruleshift-detail']),
      });
      suite.amqp.channel.ack(message);
    });
    return letters;
  };

  it('classifies, routes and dead-letters the same on both engines: each output exactly once', async () => {
    const { system, amqp, producer, started } = suite;
    const connectors: NamedConnectors = uniqueConnectors('br-move');
    const installed = await call('install', {
      headers: { runtime: 'edge', targetResource: 'gw1', jobType: 'business-rules' },
      jobConfig: { connectors },
      jobProps: { rules: RULES },
    });
    started.add(installed.jobId);
    const running = await call('start', installed);
    const collect = (routingKey: string) =>
      TimedCollector.start<Event>(
        amqp,
        connectors.outputExchange,
        routingKey,
        `${connectors.outputExchange}.${routingKey}.collector`,
      );
    const normal = await collect(connectors.outputRoutingKey);
    const critical = await collect('critical');
    const dead = await deadLetters(installed.jobId);

    const all = events(8_000);
    const publishing = (async () => {
      for (let i = 0; i < all.length; i += 200) {
        await producer.publishJson(
          connectors.inputExchange,
          connectors.inputRoutingKey,
          all.slice(i, i + 200),
        );
        await sleep(300);
      }
    })();

    await waitUntil('edge outputs before the move', async () => normal.countFrom('edge') > 100);
    const onFlink = await move(running, 'flink', CLUSTER);
    expect(await liveFlinkJobsOf(installed.jobId)).toHaveLength(1);
    await waitUntil('flink outputs', async () => normal.countFrom('flink') > 100, 120_000);
    const backOnEdge = await move(onFlink, 'edge', 'gw1');
    expect(await liveFlinkJobsOf(installed.jobId)).toHaveLength(0);
    await publishing;

    // Sentinels, one per destination, after everything else on the input queue.
    const sentinels: Event[] = [
      { seq: -1, temperature: 40 },
      { seq: -2, temperature: 15 },
      { seq: -3, temperature: 'sentinel' },
    ];
    await producer.publishJson(connectors.inputExchange, connectors.inputRoutingKey, sentinels);
    const seen = (outputs: { body: Event }[], seq: number) =>
      outputs.some((o) => o.body.seq === seq);
    await waitUntil(
      'the sentinels',
      async () =>
        seen(critical.outputs, -1) && seen(normal.outputs, -2) && dead.some((d) => d.seq === -3),
      120_000,
    );

    const expected = expectations([...all, ...sentinels]);
    const bySeq = (a: unknown, b: unknown) => (a as Event).seq - (b as Event).seq;
    expect(normal.outputs.map((o) => o.body).sort(bySeq)).toEqual([...expected.normal].sort(bySeq));
    expect(critical.outputs.map((o) => o.body).sort(bySeq)).toEqual(
      [...expected.critical].sort(bySeq),
    );
    expect(
      dead.map((d) => [d.seq, d.reason, d.detail]).sort((a, b) => Number(a[0]) - Number(b[0])),
    ).toEqual([...expected.dead].sort((a, b) => a[0] - b[0]));
    // Both engines produced outputs on both routing keys.
    expect(normal.handovers().map((h) => `${h.from}->${h.to}`)).toEqual([
      'edge->flink',
      'flink->edge',
    ]);
    expect(critical.countFrom('flink')).toBeGreaterThan(0);

    const details = await jobDetails(system, installed.jobId);
    expect(details.history.map((h) => `${h.status}@${h.runtime}/${h.targetResource}`)).toEqual([
      'INSTALLED@edge/gw1',
      'RUNNING@edge/gw1',
      `RUNNING@flink/${CLUSTER}`,
      'RUNNING@edge/gw1',
    ]);
    expect((await call('uninstall', backOnEdge)).jobStatus).toBe('UNINSTALLED');
  });
});
