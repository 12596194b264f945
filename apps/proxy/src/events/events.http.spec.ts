import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { decodeJson, type Consumer, type Delivery } from '@ruleshift/broker';
import { INGEST_BATCH_SIZE } from './event-publisher.service';
import { EventTail, type TailSubscription } from './event-tail.service';
import { MAX_EVENTS_PER_REQUEST } from './events.controller';
import { createProxyTestApp, type ProxyTestApp } from '../testing/create-proxy-test-app';

describe('events API (HTTP)', () => {
  let t: ProxyTestApp;
  const http = () => request(t.app.getHttpServer());

  beforeEach(async () => {
    t = await createProxyTestApp();
    await t.broker.assert({
      exchanges: [{ name: 'sensors', type: 'direct' }],
      queues: [{ name: 'in' }],
      bindings: [{ queue: 'in', exchange: 'sensors', routingKey: 'temperature' }],
    });
  });
  afterEach(async () => {
    await t.close();
  });

  async function drain(queue: string, count: number): Promise<unknown[]> {
    const received: unknown[] = [];
    let consumer: Consumer | undefined;
    await new Promise<void>((resolve, reject) => {
      t.broker
        .consume(
          queue,
          (d: Delivery) => {
            received.push(decodeJson(d));
            consumer?.ack(d);
            if (received.length === count) resolve();
          },
          { prefetch: 100 },
        )
        .then((c) => (consumer = c), reject);
    });
    await consumer?.close();
    return received;
  }

  it('publishes one event and answers 202 { published: 1 }', async () => {
    const res = await http()
      .post('/api/events/sensors/temperature')
      .send({ temperature: 25 })
      .expect(202);
    expect(res.body).toEqual({ published: 1 });
    expect(await drain('in', 1)).toEqual([{ temperature: 25 }]);
  });

  it('publishes an array of events in order', async () => {
    const events = [1, 2, 3, 4].map((i) => ({ temperature: i }));
    const res = await http().post('/api/events/sensors/temperature').send(events).expect(202);
    expect(res.body).toEqual({ published: 4 });
    expect(await drain('in', 4)).toEqual(events);
  });

  it('404 with field exchange when the exchange does not exist', async () => {
    const res = await http().post('/api/events/nope/temperature').send({ a: 1 }).expect(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND', errors: [{ field: 'exchange' }] });
  });

  it('400 with field body for malformed JSON or a non-JSON content type', async () => {
    const bad = await http()
      .post('/api/events/sensors/temperature')
      .set('Content-Type', 'application/json')
      .send('{"temperature": 2')
      .expect(400);
    expect(bad.body.errors[0].field).toBe('body');
    const text = await http()
      .post('/api/events/sensors/temperature')
      .set('Content-Type', 'text/plain')
      .send('temperature=2')
      .expect(400);
    expect(text.body.errors[0]).toEqual({
      field: 'body',
      reason: 'must be JSON (Content-Type: application/json)',
    });
    expect(await t.broker.queueDepth('in')).toBe(0);
  });

  describe('bounded ingest', () => {
    it('answers 503 naming the first refused event when the queue is full, keeping the rest out', async () => {
      await t.close();
      t = await createProxyTestApp({ queueLimits: { maxLength: 3 } });
      await t.broker.assert({
        exchanges: [{ name: 'sensors', type: 'direct' }],
        queues: [{ name: 'in' }],
        bindings: [{ queue: 'in', exchange: 'sensors', routingKey: 'temperature' }],
      });
      const events = [1, 2, 3, 4, 5].map((i) => ({ temperature: i }));
      const res = await http().post('/api/events/sensors/temperature').send(events).expect(503);
      expect(res.body).toMatchObject({
        code: 'RUNTIME_UNAVAILABLE',
        errors: [{ field: 'body[3]', reason: expect.stringContaining('full') }],
      });
      expect(await t.broker.queueDepth('in')).toBe(3);
    });

    it(`publishes a large array with at most ${INGEST_BATCH_SIZE} publishes in flight`, async () => {
      const publish = t.broker.publish.bind(t.broker);
      let inFlight = 0;
      let mostInFlight = 0;
      jest.spyOn(t.broker, 'publish').mockImplementation((...args) => {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        return publish(...args).finally(() => inFlight--);
      });
      const events = Array.from({ length: 2 * INGEST_BATCH_SIZE + 500 }, (_, i) => ({ i }));
      const res = await http().post('/api/events/sensors/temperature').send(events).expect(202);
      expect(res.body).toEqual({ published: events.length });
      expect(mostInFlight).toBe(INGEST_BATCH_SIZE);
      expect(await t.broker.queueDepth('in')).toBe(events.length);
    });

    it(`400 naming body past ${MAX_EVENTS_PER_REQUEST} events in one request`, async () => {
      const events = Array.from({ length: MAX_EVENTS_PER_REQUEST + 1 }, () => 0);
      const res = await http().post('/api/events/sensors/temperature').send(events).expect(400);
      expect(res.body.errors[0]).toMatchObject({ field: 'body' });
      expect(await t.broker.queueDepth('in')).toBe(0);
    });
  });

  describe('SSE tail', () => {
    let baseUrl: string;
    beforeEach(async () => {
      await t.app.listen(0, '127.0.0.1');
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      baseUrl = `http://127.0.0.1:${port}`;
    });

    /** Resolves with the subscriptions EventTail opened, to check their queue is removed. */
    function captureSubscriptions(): Promise<TailSubscription[]> {
      const tail = t.app.get(EventTail);
      const original = tail.open.bind(tail);
      return new Promise((resolve) => {
        jest.spyOn(tail, 'open').mockImplementation(async (...args) => {
          const subscription = await original(...args);
          resolve([subscription]);
          return subscription;
        });
      });
    }

    async function queueGone(queue: string): Promise<boolean> {
      return t.broker.queueDepth(queue).then(
        () => false,
        () => true,
      );
    }

    function openTail(path: string): Promise<IncomingMessage> {
      return new Promise((resolve, reject) =>
        get(`${baseUrl}${path}`, resolve).on('error', reject),
      );
    }

    /** Reads `data:` lines until `count` arrived. */
    function readEvents(res: IncomingMessage, count: number): Promise<unknown[]> {
      return new Promise((resolve) => {
        const events: unknown[] = [];
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (frame.startsWith('data: ')) events.push(JSON.parse(frame.slice(6)));
            if (events.length === count) resolve(events);
          }
        });
      });
    }

    it('streams each message published after it opened, then cleans up on disconnect', async () => {
      const opened = captureSubscriptions();
      const res = await openTail('/api/events/sensors/temperature/tail');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/event-stream');
      const received = readEvents(res, 2);
      await http()
        .post('/api/events/sensors/temperature')
        .send([{ temperature: 30 }, { temperature: 31 }])
        .expect(202);
      await http().post('/api/events/sensors/other-key').send({ temperature: 99 }).expect(202);
      expect(await received).toEqual([{ temperature: 30 }, { temperature: 31 }]);
      // The regular consumer's queue still got its copies: tailing does not steal.
      expect(await t.broker.queueDepth('in')).toBe(2);

      const queue = (await opened)[0].queue;
      expect(queue).toMatch(/^ruleshift\.tail\./);
      expect(await t.broker.queueDepth(queue)).toBe(0);
      res.destroy();
      await waitUntil(() => queueGone(queue));
    });

    it('404 JSON when the exchange does not exist', async () => {
      const res = await openTail('/api/events/nope/key/tail');
      expect(res.statusCode).toBe(404);
      const body = await new Promise<string>((resolve) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c)).on('end', () => resolve(text));
      });
      expect(JSON.parse(body)).toMatchObject({
        code: 'NOT_FOUND',
        errors: [{ field: 'exchange' }],
      });
    });
  });
});

/** Polls a condition the server reaches asynchronously (no fixed sleeps, no timing assert). */
async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setImmediate(resolve));
}
