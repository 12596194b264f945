/**
 * The `business-rules` template end to end on the embedded defaults: every way a rule set can
 * be invalid answers 400 naming the field, the adapter fills in the defaults once (the rendered
 * config holds them), and a running rule classifies, routes, drops and dead-letters events
 * published through /api/events, read back from the broker event by event.
 */
import request from 'supertest';
import type { BrokerConnection } from '@ruleshift/broker';
import { DEAD_LETTER_HEADERS, type InstallationObject, type JobInfo } from '@ruleshift/contracts';
import type { StandaloneHandle } from '../../apps/standalone/src';
import { startEmbeddedStandalone, type EmbeddedStandalone } from '../support/embedded-http';
import { Collector } from '../support/queue-collector';

const rules = () => [
  {
    name: 'critical',
    priority: 10,
    when: { path: '$.temperature', op: '>=', value: 80 },
    then: [{ set: '$.severity', value: 'critical' }, { route: 'critical' }, { stop: true }],
  },
  {
    name: 'noise',
    priority: 5,
    when: { path: '$.kind', op: '=', value: 'heartbeat' },
    then: [{ drop: true }],
  },
  {
    name: 'warm',
    when: { path: '$.temperature', op: '>', value: 30 },
    then: [{ tag: 'warm' }],
  },
];

const installation = (jobProps: Record<string, unknown>): InstallationObject => ({
  headers: { runtime: 'edge', targetResource: 'local', jobType: 'business-rules' },
  jobConfig: {
    connectors: {
      inputEndpoint: 'edge',
      inputExchange: 'br-sensors',
      inputQueue: 'br-e2e-in',
      inputRoutingKey: 'reading',
      outputEndpoint: 'edge',
      outputExchange: 'br-alerts',
      outputRoutingKey: 'normal',
    },
  },
  jobProps,
});

describe('business-rules end to end (embedded defaults)', () => {
  let embedded: EmbeddedStandalone;
  let standalone: StandaloneHandle;
  let edge: BrokerConnection;
  const ADMIN_TOKEN = 'rs_e2e-admin-token-business-rules-0123';
  const http = () => request.agent(standalone.url).set('authorization', `Bearer ${ADMIN_TOKEN}`);

  const fieldsOf400 = async (jobProps: Record<string, unknown>): Promise<string[]> => {
    const res = await http().post('/api/install').send(installation(jobProps)).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    return res.body.errors.map((e: { field: string }) => e.field);
  };

  beforeAll(async () => {
    // Waits for agent `local`: booting (PGlite, migrations, Nest) is slow on a loaded machine.
    embedded = await startEmbeddedStandalone({ adminToken: ADMIN_TOKEN });
    standalone = embedded.standalone;
    edge = await standalone.brokers.get('edge');
  }, 120_000);

  afterAll(async () => {
    await embedded?.close();
  });

  it.each([
    ['no rules', {}, 'jobProps.rules'],
    ['empty rules', { rules: [] }, 'jobProps.rules'],
    ['a rule without when', { rules: [{ name: 'a', then: [] }] }, 'jobProps.rules[0].when'],
    [
      'an unknown op',
      { rules: [...rules(), { name: 'x', when: { path: '$.a', op: '~', value: 1 }, then: [] }] },
      'jobProps.rules[3].when.op',
    ],
    [
      'a bad path deep in a condition',
      {
        rules: [{ name: 'x', when: { all: [{ not: { path: 'a..b', op: 'exists' } }] }, then: [] }],
      },
      'jobProps.rules[0].when.all[0].not.path',
    ],
    [
      'two kinds in one condition',
      { rules: [{ name: 'x', when: { all: [], any: [] }, then: [] }] },
      'jobProps.rules[0].when',
    ],
    [
      'a value for exists',
      { rules: [{ name: 'x', when: { path: '$.a', op: 'exists', value: 1 }, then: [] }] },
      'jobProps.rules[0].when.value',
    ],
    [
      'in without a list',
      { rules: [{ name: 'x', when: { path: '$.a', op: 'in', value: 1 }, then: [] }] },
      'jobProps.rules[0].when.value',
    ],
    [
      'an ordering against an object',
      { rules: [{ name: 'x', when: { path: '$.a', op: '<', value: {} }, then: [] }] },
      'jobProps.rules[0].when.value',
    ],
    [
      'a regular expression with a backreference',
      { rules: [{ name: 'x', when: { path: '$.a', op: 'matches', value: '(a)\\1' }, then: [] }] },
      'jobProps.rules[0].when.value',
    ],
    [
      'a catastrophic-backtracking lookahead',
      { rules: [{ name: 'x', when: { path: '$.a', op: 'matches', value: '(?=a+)+b' }, then: [] }] },
      'jobProps.rules[0].when.value',
    ],
    [
      'an action with code',
      {
        rules: [
          { name: 'x', when: { path: '$.a', op: 'exists' }, then: [{ run: 'process.exit()' }] },
        ],
      },
      'jobProps.rules[0].then[0]',
    ],
    [
      'set by index',
      {
        rules: [
          { name: 'x', when: { path: '$.a', op: 'exists' }, then: [{ set: '$.a[0]', value: 1 }] },
        ],
      },
      'jobProps.rules[0].then[0].set',
    ],
    [
      'set with value and from',
      {
        rules: [
          {
            name: 'x',
            when: { path: '$.a', op: 'exists' },
            then: [{ set: '$.b', value: 1, from: '$.a' }],
          },
        ],
      },
      'jobProps.rules[0].then[0]',
    ],
    [
      'a route with a control character',
      {
        rules: [{ name: 'x', when: { path: '$.a', op: 'exists' }, then: [{ route: 'a\u0000b' }] }],
      },
      'jobProps.rules[0].then[0].route',
    ],
    [
      'drop: false',
      { rules: [{ name: 'x', when: { path: '$.a', op: 'exists' }, then: [{ drop: false }] }] },
      'jobProps.rules[0].then[0].drop',
    ],
    ['a duplicate rule name', { rules: [...rules(), { ...rules()[0] }] }, 'jobProps.rules[3].name'],
    [
      'a fractional priority',
      { rules: [{ ...rules()[0], priority: 1.5 }] },
      'jobProps.rules[0].priority',
    ],
    ['an unknown onNoMatch', { rules: rules(), onNoMatch: 'keep' }, 'jobProps.onNoMatch'],
    ['a chainLimit of 0', { rules: rules(), chainLimit: 0 }, 'jobProps.chainLimit'],
  ])('refuses %s (400 naming the field)', async (_case, jobProps, field) => {
    expect(await fieldsOf400(jobProps)).toContain(field);
  });

  it('classifies, routes, drops and dead-letters events; the config holds the defaults', async () => {
    await edge.assert({
      exchanges: [{ name: 'br-alerts', type: 'direct' }],
      queues: [{ name: 'br-e2e-normal' }, { name: 'br-e2e-critical' }],
      bindings: [
        { queue: 'br-e2e-normal', exchange: 'br-alerts', routingKey: 'normal' },
        { queue: 'br-e2e-critical', exchange: 'br-alerts', routingKey: 'critical' },
      ],
    });
    const normal = await Collector.on(edge, 'br-e2e-normal');
    const critical = await Collector.on(edge, 'br-e2e-critical');

    const installed = (
      await http()
        .post('/api/install')
        .send(installation({ rules: rules() }))
        .expect(200)
    ).body as JobInfo;
    const config = (await http().get(`/api/jobs/${installed.jobId}/config`).expect(200)).body;
    expect(config.content.jobProps).toEqual({
      rules: rules().map((r) => ({ priority: 0, ...r })),
      chain: false,
      chainLimit: 10,
      onNoMatch: 'forward',
    });
    const running = (await http().post('/api/start').send(installed).expect(200)).body as JobInfo;
    expect(running.jobStatus).toBe('RUNNING');

    const events = [
      { id: 1, kind: 'reading', temperature: 25 },
      { id: 2, kind: 'reading', temperature: 85 },
      { id: 3, kind: 'heartbeat', temperature: 20 },
      { id: 4, kind: 'reading', temperature: 'hot' },
      { id: 5, kind: 'reading', temperature: 35 },
      { id: 6, kind: 'reading' },
      { id: 7, kind: 'reading', temperature: 95 },
    ];
    await http().post('/api/events/br-sensors/reading').send(events).expect(202);

    await normal.waitFor(2);
    await critical.waitFor(2);
    expect(normal.values()).toEqual([
      { id: 1, kind: 'reading', temperature: 25 },
      { id: 5, kind: 'reading', temperature: 35, tags: ['warm'] },
    ]);
    expect(critical.values()).toEqual([
      { id: 2, kind: 'reading', temperature: 85, severity: 'critical' },
      { id: 7, kind: 'reading', temperature: 95, severity: 'critical' },
    ]);
    const deadLetters = await Collector.on(edge, `ruleshift.dlq.${installed.jobId}`);
    await deadLetters.waitFor(2);
    expect(deadLetters.values()).toEqual([events[3], events[5]]);
    expect(
      deadLetters.messages.map((m) => [
        m.headers[DEAD_LETTER_HEADERS.reason],
        m.headers[DEAD_LETTER_HEADERS.detail],
        m.headers[DEAD_LETTER_HEADERS.sourceRoutingKey],
      ]),
    ).toEqual([
      ['wrong-type', 'rule critical: $.temperature is a string, >= needs a number', 'reading'],
      ['missing-field', 'rule critical: no value at $.temperature', 'reading'],
    ]);

    const stopped = (await http().post('/api/stop').send(running).expect(200)).body as JobInfo;
    const uninstalled = await http().post('/api/uninstall').send(stopped).expect(200);
    expect(uninstalled.body.jobStatus).toBe('UNINSTALLED');
    await Promise.all([normal.close(), critical.close(), deadLetters.close()]);
  });
});
