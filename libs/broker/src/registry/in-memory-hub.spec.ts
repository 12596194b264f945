import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Delivery } from '../broker-port';
import { FileBrokerStateStore } from '../in-memory/file-broker-state-store';
import { InMemoryBrokerHub } from './in-memory-hub';

const buf = (s: string): Buffer => Buffer.from(s);

describe('InMemoryBrokerHub with a state store (npm start across a clean stop)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hub-state-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const hub = () => new InMemoryBrokerHub({ stateStore: new FileBrokerStateStore(dir) });

  it('keeps durable exchanges, queues with their arguments, bindings and persistent messages', async () => {
    const first = hub();
    const edge = first.get('edge');
    await edge.assert({
      exchanges: [
        { name: 'sensors', type: 'topic', durable: true },
        { name: 'dlx', type: 'direct', durable: true },
        { name: 'scratch', type: 'fanout', durable: false },
      ],
      queues: [
        { name: 'in', durable: true },
        { name: 'dlq', durable: true, maxLength: 2, overflow: 'drop-head' },
        { name: 'reply', durable: false, exclusive: true },
      ],
      bindings: [
        { queue: 'in', exchange: 'sensors', routingKey: 'temp.#' },
        { queue: 'dlq', exchange: 'dlx', routingKey: 'job' },
      ],
    });
    await edge.publish('sensors', 'temp.a', buf('1'), { headers: { n: 1 } });
    await edge.publish('sensors', 'temp.b', buf('2'), { messageId: 'm2' });
    await edge.publish('sensors', 'temp.c', buf('transient'), { persistent: false });
    // An unacked delivery goes back to the queue when its consumer's connection closes.
    const session = edge.connect();
    const got: Delivery[] = [];
    await session.consume('in', (d) => got.push(d), { prefetch: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(got.map((d) => d.body.toString())).toEqual(['1']);
    await first.closeAll();
    expect(await readdir(dir)).toEqual(['edge.json']);

    const second = hub();
    await second.restore();
    // Taken: a crash of this run must not bring the same messages back again.
    expect(await readdir(dir)).toEqual([]);
    const again = second.get('edge');
    expect(
      (await again.browse('in', 10)).map((m) => [m.body.toString(), m.routingKey, m.headers.n]),
    ).toEqual([
      ['1', 'temp.a', 1],
      ['2', 'temp.b', undefined],
    ]);
    // Same arguments: a redeclaration is accepted, another one refused as on RabbitMQ.
    await again.assert({
      queues: [{ name: 'dlq', durable: true, maxLength: 2, overflow: 'drop-head' }],
    });
    await expect(again.assert({ queues: [{ name: 'dlq', durable: true }] })).rejects.toThrow(
      /inequivalent/,
    );
    await again.publish('sensors', 'temp.d', buf('3'));
    await again.publish('dlx', 'job', buf('dead'));
    expect((await again.browse('in', 10)).map((m) => m.body.toString())).toEqual(['1', '2', '3']);
    expect(await again.queueDepth('dlq')).toBe(1);
    await expect(again.queueDepth('reply')).rejects.toThrow(/no queue 'reply'/);
    await expect(again.publish('scratch', '', buf('x'))).rejects.toThrow(/no exchange/);
    await second.closeAll();
  });

  it('starts empty without a kept state, and names a kept file it cannot read', async () => {
    const empty = hub();
    await empty.restore();
    await expect(empty.get('edge').queueDepth('in')).rejects.toThrow(/no queue/);
    await empty.closeAll();

    await writeFile(join(dir, 'edge.json'), '{"format":"something else"}');
    await expect(hub().restore()).rejects.toThrow(
      `${join(dir, 'edge.json')}: not a ruleshift.in-memory-broker/v1 document`,
    );
  });

  it('keeps every kept file when putting one back fails, so a fixed start still finds the messages', async () => {
    const first = hub();
    await first.get('core').assert({ queues: [{ name: 'out', durable: true }] });
    await first.get('core').publish('', 'out', buf('kept-core'));
    await first.closeAll();
    // A readable document the vhost cannot take back: a binding to an exchange it does not have.
    const edge = JSON.stringify({
      format: 'ruleshift.in-memory-broker/v1',
      exchanges: [],
      queues: [
        {
          spec: { name: 'in', durable: true },
          messages: [
            {
              body: buf('kept-edge').toString('base64'),
              exchange: '',
              routingKey: 'in',
              headers: {},
              redelivered: false,
            },
          ],
        },
      ],
      bindings: [{ queue: 'in', exchange: 'missing', routingKey: '#' }],
    });
    await writeFile(join(dir, 'edge.json'), edge);
    const coreBefore = await readFile(join(dir, 'core.json'), 'utf8');

    await expect(hub().restore()).rejects.toThrow(/missing/);

    expect((await readdir(dir)).sort()).toEqual(['core.json', 'edge.json']);
    expect(await readFile(join(dir, 'core.json'), 'utf8')).toBe(coreBefore);
    expect(await readFile(join(dir, 'edge.json'), 'utf8')).toBe(edge);

    // Once the file is fixed, the next start gets both vhosts' messages back.
    await writeFile(
      join(dir, 'edge.json'),
      edge
        .replace('"missing"', '"sensors"')
        .replace(
          '"exchanges":[]',
          '"exchanges":[{"name":"sensors","type":"topic","durable":true}]',
        ),
    );
    const fixed = hub();
    await fixed.restore();
    expect(await readdir(dir)).toEqual([]);
    expect((await fixed.get('core').browse('out', 10)).map((m) => m.body.toString())).toEqual([
      'kept-core',
    ]);
    expect((await fixed.get('edge').browse('in', 10)).map((m) => m.body.toString())).toEqual([
      'kept-edge',
    ]);
    await fixed.closeAll();
  });
});
