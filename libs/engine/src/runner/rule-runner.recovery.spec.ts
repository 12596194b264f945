/**
 * Crash recovery of stateful rules: the process dies at each interesting point of a checkpoint
 * (modelled by abandoning the runner: its later publishes and acks never happen), a new runner
 * restores from the saved checkpoint, RabbitMQ redelivers the unacked inputs (flagged
 * `redelivered`) and the stream goes on. The outputs must equal those of an uninterrupted run;
 * duplicates are allowed only where docs/snapshot-format.md says so, and carry the same
 * message id.
 */
import { DEAD_LETTER_HEADERS, type RuleConfig, type RuleSnapshot } from '@ruleshift/contracts';
import { resolve } from 'node:path';
import { map } from 'rxjs';
import type { EdgeRuleModule, RuleEmission } from '../edge-rule';
import { loadEdgeRuleModule } from '../load-edge-rule-module';
import { output } from '../operators/emissions';
import {
  FakeBrokerRegistry,
  flushMicrotasks,
  type FakeConsumer,
  type PublishedMessage,
} from '../testing/fake-broker';
import { ManualClock } from '../testing/manual-clock';
import { asMultiset } from '../testing/vector-harness';
import { createRuleRunner } from './rule-runner';
import type { CheckpointedSnapshot } from './delivery-checkpoint';
import type { CheckpointStore } from './runner-deps';

const templates = resolve(__dirname, '../../../../templates');
const aggregation = loadEdgeRuleModule(`${templates}/window-aggregation/edge/rule.js`);
const join = loadEdgeRuleModule(`${templates}/window-join/edge/rule.js`);

const connectors = {
  inputEndpoint: 'edge',
  inputExchange: 'left',
  inputQueue: 'left.q',
  inputRoutingKey: 'l',
  outputEndpoint: 'core',
  outputExchange: 'out',
  outputRoutingKey: 'o',
  prefetch: 100_000,
};

const aggregationConfig: RuleConfig = {
  jobId: 'agg-1',
  jobType: 'window-aggregation',
  templateVersion: '1.0.0',
  deadLetterExchange: 'ruleshift.dlx',
  jobProps: {
    aggregate: 'sum',
    fieldJsonPath: '$.v',
    window: { kind: 'tumbling', time: 'event', sizeMs: 1000 },
    timeFieldJsonPath: '$.ts',
    groupByJsonPath: '$.k',
    maxOutOfOrdernessMs: 100,
  },
  connectors,
};

const joinConfig: RuleConfig = {
  jobId: 'join-1',
  jobType: 'window-join',
  templateVersion: '1.0.0',
  deadLetterExchange: 'ruleshift.dlx',
  jobProps: {
    leftKeyJsonPath: '$.id',
    rightKeyJsonPath: '$.deviceId',
    timeFieldJsonPath: '$.ts',
    windowSizeMs: 1000,
  },
  connectors: {
    ...connectors,
    secondInput: { endpoint: 'edge', exchange: 'right', queue: 'right.q', routingKey: 'r' },
  },
};

interface StreamItem {
  input: number;
  body: string;
}

/** Keys, values and event times that fire many windows; some bad and late events. */
function aggregationStream(count: number): StreamItem[] {
  const items: StreamItem[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 41 === 7) items.push({ input: 0, body: 'not json' });
    if (i % 53 === 11) items.push({ input: 0, body: JSON.stringify({ k: 'x', v: 1 }) });
    if (i % 97 === 50) items.push({ input: 0, body: JSON.stringify({ k: 'x', v: 1, ts: 1 }) });
    // Identical bodies on purpose: the dedup must count occurrences, not just recognise them.
    const k = `k${i % 5}`;
    items.push({
      input: 0,
      body: JSON.stringify({ k, v: i % 7, ts: 1000 + Math.floor(i / 3) * 37 }),
    });
  }
  items.push({ input: 0, body: JSON.stringify({ k: 'k0', v: 0, ts: 10_000_000 }) });
  return items;
}

function joinStream(count: number): StreamItem[] {
  const items: StreamItem[] = [];
  for (let i = 0; i < count; i++) {
    const ts = 1000 + i * 29;
    if (i % 2 === 0) items.push({ input: 0, body: JSON.stringify({ id: `d${i % 6}`, ts }) });
    else items.push({ input: 1, body: JSON.stringify({ deviceId: `d${(i + 1) % 6}`, ts }) });
    if (i % 61 === 5) items.push({ input: 1, body: '{"deviceId":' });
  }
  items.push({ input: 0, body: JSON.stringify({ id: 'end', ts: 10_000_000 }) });
  return items;
}

/** The checkpoint file: saved as JSON, like the agent's disk. */
class DiskCheckpoints implements CheckpointStore {
  stored?: RuleSnapshot;
  /** The next save is written, then the process dies before it hears back. */
  dieAfterNextSave = false;

  load(): Promise<RuleSnapshot | undefined> {
    return Promise.resolve(
      this.stored && (JSON.parse(JSON.stringify(this.stored)) as RuleSnapshot),
    );
  }

  save(snapshot: RuleSnapshot): Promise<void> {
    this.stored = JSON.parse(JSON.stringify(snapshot)) as RuleSnapshot;
    if (this.dieAfterNextSave) return new Promise(() => undefined);
    return Promise.resolve();
  }
}

const CHECKPOINT_EVERY = 25;

/** One process life of a runner. */
class Life {
  readonly brokers = new FakeBrokerRegistry();
  readonly clock = new ManualClock();
  readonly runner;
  readonly delivered: { item: number; tag: number; input: number }[] = [];
  private dead?: { outputs: PublishedMessage[]; letters: PublishedMessage[]; acked: number[][] };

  constructor(
    readonly module: EdgeRuleModule,
    readonly config: RuleConfig,
    readonly checkpoints: DiskCheckpoints,
  ) {
    this.runner = createRuleRunner(module, config, {
      brokers: this.brokers,
      clock: this.clock,
      checkpoints,
      checkpointIntervalMs: 1000,
    });
  }

  get core() {
    return this.brokers.connection('core');
  }

  consumer(input: number): FakeConsumer {
    return this.brokers.connection('edge').consumerOf(input === 0 ? 'left.q' : 'right.q');
  }

  async start(): Promise<void> {
    // As the agent does: the checkpoint on disk, if any.
    await this.runner.start(await this.checkpoints.load());
  }

  async feed(stream: StreamItem[], from: number, to: number, redelivered = false): Promise<void> {
    for (let i = from; i < to; i++) await this.deliver(stream, i, redelivered);
  }

  async deliver(
    stream: StreamItem[],
    item: number,
    redelivered: boolean,
    checkpoints = true,
  ): Promise<void> {
    const { input, body } = stream[item];
    const delivery = this.consumer(input).deliver(body, { redelivered });
    this.delivered.push({ item, tag: delivery.deliveryTag, input });
    if (checkpoints && this.delivered.length % CHECKPOINT_EVERY === 0) await this.checkpointNow();
  }

  async checkpointNow(): Promise<void> {
    this.clock.fireAll();
    await flushMicrotasks();
  }

  /** SIGKILL: what was published so far stays published; nothing else happens. */
  kill(): void {
    this.dead = {
      outputs: [...this.core.publishedTo('out')],
      letters: [...this.brokers.connection('edge').publishedTo('ruleshift.dlx')],
      acked: [0, 1].map((input) =>
        this.brokers
          .connection('edge')
          .consumers.filter((c) => c.queue === (input === 0 ? 'left.q' : 'right.q'))
          .flatMap((c) => c.ackedTags()),
      ),
    };
  }

  /** Items RabbitMQ returns to the queues, in their original order. */
  unacked(): number[] {
    const acked = this.dead!.acked;
    return this.delivered
      .filter((d) => !acked[d.input].includes(d.tag))
      .map((d) => d.item)
      .sort((a, b) => a - b);
  }

  outputs(): PublishedMessage[] {
    return this.dead?.outputs ?? this.core.publishedTo('out');
  }

  letters(): PublishedMessage[] {
    return this.dead?.letters ?? this.brokers.connection('edge').publishedTo('ruleshift.dlx');
  }
}

interface RunResult {
  outputs: PublishedMessage[];
  letters: PublishedMessage[];
}

async function uninterrupted(
  module: EdgeRuleModule,
  config: RuleConfig,
  stream: StreamItem[],
): Promise<RunResult> {
  const life = new Life(module, config, new DiskCheckpoints());
  await life.start();
  await life.feed(stream, 0, stream.length);
  await life.runner.stop();
  return { outputs: life.outputs(), letters: life.letters() };
}

type CrashPoint =
  | 'after the save, before publish and ack'
  | 'after the outbox is confirmed, before the ack'
  | 'after windows fired, before the next checkpoint'
  | 'during the outbox publish';

async function crashedRun(
  module: EdgeRuleModule,
  config: RuleConfig,
  stream: StreamItem[],
  crashAt: number,
  point: CrashPoint,
): Promise<{ lives: Life[]; result: RunResult }> {
  const checkpoints = new DiskCheckpoints();
  const first = new Life(module, config, checkpoints);
  await first.start();
  await first.feed(stream, 0, crashAt);
  // Go on until some output waits in the outbox, so the crash has something to lose.
  let next = crashAt;
  while (first.runner.metrics().eventsOut === first.core.publishedTo('out').length)
    await first.deliver(stream, next++, false, false);
  switch (point) {
    case 'after the save, before publish and ack':
      checkpoints.dieAfterNextSave = true;
      await first.checkpointNow();
      break;
    case 'after the outbox is confirmed, before the ack':
      for (const input of [0, 1]) {
        const queue = input === 0 ? 'left.q' : 'right.q';
        for (const consumer of first.brokers.connection('edge').consumers)
          if (consumer.queue === queue) consumer.ack = () => undefined;
      }
      await first.checkpointNow();
      break;
    case 'after windows fired, before the next checkpoint':
      break;
    case 'during the outbox publish':
      first.core.autoConfirm = false;
      await first.checkpointNow();
      first.core.confirm(Math.floor(first.core.unconfirmedCount / 2));
      await flushMicrotasks();
      break;
  }
  first.kill();
  checkpoints.dieAfterNextSave = false;

  const second = new Life(module, config, checkpoints);
  await second.start();
  for (const item of first.unacked()) await second.deliver(stream, item, true);
  await second.feed(stream, next, stream.length);
  await second.runner.stop();
  return {
    lives: [first, second],
    result: {
      outputs: [...first.outputs(), ...second.outputs()],
      letters: [...first.letters(), ...second.letters()],
    },
  };
}

/** What a downstream consumer that drops repeated message ids keeps. */
function byMessageId(messages: PublishedMessage[]): PublishedMessage[] {
  const seen = new Set<string>();
  return messages.filter((message) => {
    const id = message.options.messageId;
    if (id === undefined) return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

const bodies = (messages: PublishedMessage[]): string[] =>
  asMultiset(messages.map((message) => message.json()));
const letters = (messages: PublishedMessage[]): string[] =>
  messages
    .map((m) => `${String(m.options.headers?.[DEAD_LETTER_HEADERS.reason])} ${m.body.toString()}`)
    .sort();
const totalCount = (messages: PublishedMessage[]): number =>
  messages.reduce((sum, m) => sum + (m.json() as { count: number }).count, 0);

const points: CrashPoint[] = [
  'after the save, before publish and ack',
  'after the outbox is confirmed, before the ack',
  'after windows fired, before the next checkpoint',
  'during the outbox publish',
];
/**
 * The checkpoint on disk holds its outbox until the next one replaces it, so a crash after its
 * publish sends it again (same ids); only a crash before the publish sends nothing twice.
 */
const mayDuplicate = new Set<CrashPoint>([
  'after the outbox is confirmed, before the ack',
  'after windows fired, before the next checkpoint',
  'during the outbox publish',
]);

describe.each([
  ['window-aggregation', aggregation, aggregationConfig, aggregationStream(600)],
  ['window-join', join, joinConfig, joinStream(600)],
] as const)('RuleRunner recovery after SIGKILL, %s', (_name, module, config, stream) => {
  let expected: RunResult;

  beforeAll(async () => {
    expected = await uninterrupted(module, config, stream);
    expect(expected.outputs.length).toBeGreaterThan(20);
    expect(expected.letters.length).toBeGreaterThan(3);
  });

  describe.each(points)('killed %s', (point) => {
    it.each([137, 312, 488])(
      'at item %i: outputs and dead letters equal the uninterrupted run',
      async (crashAt) => {
        const { lives, result } = await crashedRun(module, config, stream, crashAt, point);
        // The crash left work for recovery: unacked inputs that the saved state absorbed.
        expect(lives[0].unacked().length).toBeGreaterThan(0);

        const outputs = byMessageId(result.outputs);
        // A repeated id is a repeated message, never a different one.
        const byId = new Map(result.outputs.map((m) => [m.options.messageId, m.body.toString()]));
        for (const message of result.outputs)
          expect(byId.get(message.options.messageId)).toBe(message.body.toString());
        expect(bodies(outputs)).toEqual(bodies(expected.outputs));
        expect(letters(byMessageId(result.letters))).toEqual(letters(expected.letters));
        if (config.jobType === 'window-aggregation')
          expect(totalCount(outputs)).toBe(totalCount(expected.outputs));
        if (!mayDuplicate.has(point)) {
          expect(bodies(result.outputs)).toEqual(bodies(expected.outputs));
          expect(letters(result.letters)).toEqual(letters(expected.letters));
        }
      },
    );
  });
});

describe('RuleRunner redelivery dedup', () => {
  /** Counts every event it sees; state is the count. */
  const counter: EdgeRuleModule = {
    jobType: 'counter',
    create: () => {
      let count = 0;
      return {
        operator: (source) => source.pipe(map((): RuleEmission => output({ count: ++count }))),
        snapshot: () => ({ watermark: null, state: { count } }),
        restore: (snapshot) => {
          count = (snapshot.state as { count: number }).count;
        },
      };
    },
  };
  const ev = (name: string): string => JSON.stringify({ name });
  const counterConfig: RuleConfig = { ...aggregationConfig, jobId: 'count-1', jobType: 'counter' };

  async function crashedAfterSave(bodiesSeen: string[]): Promise<DiskCheckpoints> {
    const checkpoints = new DiskCheckpoints();
    const first = new Life(counter, counterConfig, checkpoints);
    await first.start();
    for (const body of bodiesSeen) first.consumer(0).deliver(body);
    checkpoints.dieAfterNextSave = true;
    await first.checkpointNow();
    checkpoints.dieAfterNextSave = false;
    return checkpoints;
  }

  it('skips redelivered copies as many times as they were absorbed, acking them at the next checkpoint', async () => {
    const checkpoints = await crashedAfterSave([ev('a'), ev('a'), ev('b')]);
    const second = new Life(counter, counterConfig, checkpoints);
    await second.start();
    const consumer = second.consumer(0);
    for (const body of ['a', 'a', 'b']) consumer.deliver(ev(body), { redelivered: true });
    await second.checkpointNow();
    expect(consumer.ackedTags()).toEqual([1, 2, 3]);
    expect(checkpoints.stored?.state).toEqual({ count: 3 });
    // The outbox of the restored checkpoint went out again, with its ids.
    expect(second.core.published.map((m) => m.json())).toEqual([
      { count: 1 },
      { count: 2 },
      { count: 3 },
    ]);
  });

  it('never skips a delivery that is not flagged redelivered, and stops skipping after it', async () => {
    const checkpoints = await crashedAfterSave([ev('a'), ev('b')]);
    const second = new Life(counter, counterConfig, checkpoints);
    await second.start();
    const consumer = second.consumer(0);
    consumer.deliver(ev('a')); // new: RabbitMQ had no redelivery left, the inputs were acked
    consumer.deliver(ev('b'), { redelivered: true });
    await second.runner.stop();
    expect(checkpoints.stored?.state).toEqual({ count: 4 });
  });

  it('stops skipping at the first redelivered delivery the checkpoint did not absorb', async () => {
    const checkpoints = await crashedAfterSave([ev('a'), ev('b')]);
    const second = new Life(counter, counterConfig, checkpoints);
    await second.start();
    const consumer = second.consumer(0);
    consumer.deliver(ev('c'), { redelivered: true });
    consumer.deliver(ev('a'), { redelivered: true });
    await second.runner.stop();
    expect(checkpoints.stored?.state).toEqual({ count: 4 });
  });

  it('keeps the fingerprints not redelivered yet across the next checkpoint, which records them', async () => {
    const checkpoints = await crashedAfterSave([ev('a'), ev('b')]);
    const second = new Life(counter, counterConfig, checkpoints);
    await second.start();
    second.consumer(0).deliver(ev('a'), { redelivered: true });
    await second.checkpointNow();
    // 'a' (skipped, acked only by this checkpoint) and 'b' (not redelivered yet).
    expect((checkpoints.stored as CheckpointedSnapshot).unackedInputs).toEqual([
      {
        input: 0,
        fingerprints: [
          [expect.any(Number), 1],
          [expect.any(Number), 1],
        ],
      },
    ]);
    second.consumer(0).deliver(ev('b'), { redelivered: true });
    await second.runner.stop();
    expect(checkpoints.stored?.state).toEqual({ count: 2 });
  });

  it('keeps message ids deterministic: jobId, checkpoint number, index, body hash', async () => {
    const checkpoints = new DiskCheckpoints();
    const life = new Life(counter, counterConfig, checkpoints);
    await life.start();
    life.consumer(0).deliver(ev('a'));
    life.consumer(0).deliver(ev('a'));
    await life.checkpointNow();
    const ids = life.core.published.map((m) => m.options.messageId);
    expect(ids).toEqual([
      expect.stringMatching(/^count-1:1:0:[0-9a-f]{14}$/),
      expect.stringMatching(/^count-1:1:1:[0-9a-f]{14}$/),
    ]);
    expect(new Set(ids).size).toBe(2);
  });
});
