/**
 * Pipelines on `npm start`'s embedded defaults (in-process brokers, in-memory PGlite): the
 * issue's two-stage pipeline created through the REST API, fed through /api/events, its outputs
 * read event by event from the SSE tail, the job and pipeline events read from
 * `ruleshift.events`, then stopped and uninstalled with what it created on the brokers.
 */
import { get, type IncomingMessage } from 'node:http';
import request from 'supertest';
import { decodeJson, type BrokerConnection, type Delivery } from '@ruleshift/broker';
import {
  EVENTS_EXCHANGE,
  type PipelineInfo,
  type PipelineObject,
  type RuleshiftEvent,
} from '@ruleshift/contracts';
import type { StandaloneHandle } from '../../apps/standalone/src';
import { startEmbeddedStandalone, type EmbeddedStandalone } from '../support/embedded-http';

const ADMIN_TOKEN = 'rs_e2e-pipelines-admin-token-0123456789';

/** The example; the middle stage is a second filter until business-rules is on main. */
const overheat = (): PipelineObject => ({
  name: 'overheat',
  stages: [
    {
      name: 'hot',
      headers: { runtime: 'edge', targetResource: 'local', jobType: 'filter' },
      jobConfig: {
        connectors: {
          inputEndpoint: 'edge',
          inputExchange: 'sensors',
          inputQueue: 'overheat.in',
          inputRoutingKey: 'temperature',
        },
      },
      jobProps: { condition: '>', threshold: 50, fieldName: 'temperature' },
    },
    {
      name: 'classify',
      from: ['hot'],
      headers: { runtime: 'edge', targetResource: 'local', jobType: 'filter' },
      jobConfig: {
        connectors: {
          outputEndpoint: 'edge',
          outputExchange: 'alerts',
          outputRoutingKey: 'classified',
        },
      },
      jobProps: { condition: '>=', threshold: 80, fieldName: 'temperature' },
    },
  ],
});

/** Reads `data:` frames of an SSE response; `next(n)` resolves once n arrived. */
class SseReader {
  readonly events: unknown[] = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  private buffer = '';

  constructor(private readonly response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.receive(chunk));
  }

  waitFor(n: number): Promise<void> {
    if (this.events.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  close(): void {
    this.response.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      if (frame.startsWith('data: ')) this.events.push(JSON.parse(frame.slice(6)));
    }
    this.waiters = this.waiters.filter((w) => {
      if (this.events.length < w.n) return true;
      w.resolve();
      return false;
    });
  }
}

describe('pipelines end to end (embedded defaults)', () => {
  let embedded: EmbeddedStandalone;
  let standalone: StandaloneHandle;
  let edge: BrokerConnection;
  let core: BrokerConnection;
  const http = () => request.agent(standalone.url).set('authorization', `Bearer ${ADMIN_TOKEN}`);

  const openTail = (path: string): Promise<IncomingMessage> =>
    new Promise((resolve, reject) =>
      get(
        `${standalone.url}${path}`,
        { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
        resolve,
      ).on('error', reject),
    );

  beforeAll(async () => {
    // Waits for agent `local`: booting (PGlite, migrations, Nest) is slow on a loaded machine.
    embedded = await startEmbeddedStandalone({ adminToken: ADMIN_TOKEN });
    standalone = embedded.standalone;
    edge = await standalone.brokers.get('edge');
    core = await standalone.brokers.get('core');
  }, 120_000);

  afterAll(async () => {
    await embedded?.close();
  });

  it('refuses a bad graph with 400 naming the stage field, installing nothing', async () => {
    const cyclic = overheat();
    cyclic.stages[0].from = ['classify'];
    const res = await http().post('/api/pipelines').send(cyclic).expect(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'stages[0].from', reason: 'forms a cycle: hot -> classify -> hot' }],
    });
    const elsewhere = overheat();
    elsewhere.stages[1].headers.targetResource = 'gw-9';
    const notFound = await http().post('/api/pipelines').send(elsewhere).expect(404);
    expect(notFound.body.errors).toEqual([
      { field: 'stages[1].headers.targetResource', reason: expect.stringContaining('gw-9') },
    ]);
    expect((await http().get('/api/jobs').expect(200)).body).toEqual([]);
    expect((await http().get('/api/pipelines').expect(200)).body).toEqual([]);
  });

  it('runs the two-stage pipeline: outputs event by event, job events in order, clean uninstall', async () => {
    // A service's queue on ruleshift.events, bound before anything happens.
    await core.assert({
      exchanges: [{ name: EVENTS_EXCHANGE, type: 'topic' }],
      queues: [{ name: 'e2e-service-events' }],
      bindings: [{ queue: 'e2e-service-events', exchange: EVENTS_EXCHANGE, routingKey: '#' }],
    });
    const received: RuleshiftEvent[] = [];
    const events = await core.consume(
      'e2e-service-events',
      (d: Delivery) => {
        received.push(decodeJson<RuleshiftEvent>(d));
        events.ack(d);
      },
      { prefetch: 100 },
    );

    const created = (await http().post('/api/pipelines').send(overheat()).expect(200))
      .body as PipelineInfo;
    expect(created).toMatchObject({
      pipelineId: expect.any(String),
      name: 'overheat',
      status: 'INSTALLED',
      stages: [
        { name: 'hot', jobInfo: { jobStatus: 'INSTALLED', jobType: 'filter', runtime: 'edge' } },
        { name: 'classify', jobInfo: { jobStatus: 'INSTALLED' } },
      ],
    });
    const [hotId, classifyId] = created.stages.map((s) => s.jobInfo.jobId);

    const details = (await http().get(`/api/pipelines/${created.pipelineId}`).expect(200)).body;
    expect(details.stages[1].job.connectors).toEqual({
      inputEndpoint: 'edge',
      inputExchange: 'ruleshift.pipeline.overheat.hot',
      inputQueue: 'ruleshift.pipeline.overheat.classify.in0',
      inputRoutingKey: 'hot',
      outputEndpoint: 'edge',
      outputExchange: 'alerts',
      outputRoutingKey: 'classified',
    });
    expect(details.exchanges).toEqual([
      { endpoint: 'edge', exchange: 'ruleshift.pipeline.overheat.hot' },
    ]);

    const started = await http().post('/api/pipelines/overheat/start').expect(200);
    expect(started.body).toMatchObject({ status: 'RUNNING' });

    const tailResponse = await openTail('/api/events/alerts/classified/tail');
    expect(tailResponse.statusCode).toBe(200);
    const tail = new SseReader(tailResponse);
    const sent = [
      { id: 1, temperature: 20 },
      { id: 2, temperature: 60 },
      { id: 3, temperature: 85 },
      { id: 4, temperature: 80 },
      { id: 5, temperature: 79.5 },
      { id: 6, temperature: 51 },
      { id: 7, temperature: 120 },
    ];
    await http().post('/api/events/sensors/temperature').send(sent).expect(202);
    await tail.waitFor(3);
    expect(tail.events).toEqual([
      { id: 3, temperature: 85 },
      { id: 4, temperature: 80 },
      { id: 7, temperature: 120 },
    ]);
    tail.close();

    expect((await http().post(`/api/pipelines/overheat/stop`).expect(200)).body.status).toBe(
      'STOPPED',
    );
    const removed = await http().post(`/api/pipelines/${created.pipelineId}/uninstall`).expect(200);
    expect(removed.body).toMatchObject({ status: 'UNINSTALLED' });
    expect((await http().get('/api/pipelines').expect(200)).body).toEqual([]);

    // The queues and the exchange the pipeline created are gone from the broker.
    for (const queue of ['overheat.in', 'ruleshift.pipeline.overheat.classify.in0']) {
      await expect(edge.queueDepth(queue)).rejects.toThrow(/no queue/);
    }
    await expect(
      edge.publish('ruleshift.pipeline.overheat.hot', 'hot', Buffer.from('{}')),
    ).rejects.toThrow(/no exchange/);

    // Every transition, in order; the pipeline's last.
    const expected = [
      `job.filter.installed ${hotId}`,
      `job.filter.installed ${classifyId}`,
      'pipeline.installed',
      `job.filter.started ${classifyId}`,
      `job.filter.started ${hotId}`,
      'pipeline.started',
      `job.filter.stopped ${hotId}`,
      `job.filter.stopped ${classifyId}`,
      'pipeline.stopped',
      `job.filter.uninstalled ${hotId}`,
      `job.filter.uninstalled ${classifyId}`,
      'pipeline.uninstalled',
    ];
    for (let i = 0; i < 200 && received.length < expected.length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(
      received.map((e) =>
        e.kind === 'job' ? `job.${e.jobType}.${e.event} ${e.jobId}` : `pipeline.${e.event}`,
      ),
    ).toEqual(expected);
    expect(received.at(-1)).toMatchObject({
      kind: 'pipeline',
      pipelineId: created.pipelineId,
      name: 'overheat',
      status: 'UNINSTALLED',
    });
    await events.close();
  });
});
