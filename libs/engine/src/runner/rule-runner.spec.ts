import {
  Conflict,
  DEAD_LETTER_HEADERS,
  type RuleConfig,
  type RuleSnapshot,
} from '@ruleshift/contracts';
import { resolve } from 'node:path';
import { config as config_, map } from 'rxjs';
import type { EdgeRuleModule, EdgeRuleProgram, InputEvent, RuleEmission } from '../edge-rule';
import { loadEdgeRuleModule } from '../load-edge-rule-module';
import { deadLetter, output } from '../operators/emissions';
import { fusedOperator } from '../operators/fused-observable';
import { FakeBrokerRegistry, flushMicrotasks } from '../testing/fake-broker';
import { ManualClock } from '../testing/manual-clock';
import { createRuleRunner } from './rule-runner';
import type { CheckpointedSnapshot } from './delivery-checkpoint';
import type { CheckpointStore, RuleRunnerDeps } from './runner-deps';

const filterModule = loadEdgeRuleModule(
  resolve(__dirname, '../../../../templates/filter/edge/rule.js'),
);

const config = (
  overrides: Partial<RuleConfig['connectors']> = {},
  jobProps: Record<string, unknown> = {},
): RuleConfig => ({
  jobId: 'job-1',
  jobType: 'filter',
  templateVersion: '1.0.0',
  deadLetterExchange: 'ruleshift.dlx',
  jobProps: { condition: '>', threshold: 20, fieldName: 'temperature', ...jobProps },
  connectors: {
    inputEndpoint: 'edge',
    inputExchange: 'sensors',
    inputQueue: 'sensors.q',
    inputRoutingKey: 'temp',
    outputEndpoint: 'core',
    outputExchange: 'alerts',
    outputRoutingKey: 'hot',
    ...overrides,
  },
});

function setup(
  module: EdgeRuleModule = filterModule,
  ruleConfig = config(),
  extra: Partial<RuleRunnerDeps> = {},
) {
  const brokers = new FakeBrokerRegistry();
  const clock = new ManualClock();
  const failures: string[] = [];
  const runner = createRuleRunner(module, ruleConfig, {
    brokers,
    clock,
    onFailure: (reason) => failures.push(reason),
    ...extra,
  });
  const edge = brokers.connection('edge');
  const core = brokers.connection('core');
  return { runner, brokers, clock, failures, edge, core };
}

const temp = (t: unknown, device = 'd1') => JSON.stringify({ device, temperature: t });

describe('RuleRunner, stateless filter', () => {
  it('consumes the input queue with the configured prefetch (default 256)', async () => {
    const { runner, edge } = setup();
    await runner.start();
    expect(runner.status).toBe('RUNNING');
    expect(edge.consumerOf('sensors.q').options.prefetch).toBe(256);

    const custom = setup(filterModule, config({ prefetch: 10 }));
    await custom.runner.start();
    expect(custom.edge.consumerOf('sensors.q').options.prefetch).toBe(10);
  });

  it('publishes matching events whole, persistent JSON, to the output exchange', async () => {
    const { runner, edge, core } = setup();
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    consumer.deliver(temp(25));
    consumer.deliver(temp(10));
    consumer.deliver(temp(30, 'd2'));
    expect(core.published.map((m) => [m.exchange, m.routingKey, m.json()])).toEqual([
      ['alerts', 'hot', { device: 'd1', temperature: 25 }],
      ['alerts', 'hot', { device: 'd2', temperature: 30 }],
    ]);
    expect(core.published[0].options).toMatchObject({
      persistent: true,
      contentType: 'application/json',
    });
  });

  it('acks an input only after its output is confirmed', async () => {
    const { runner, edge, core } = setup();
    core.autoConfirm = false;
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    consumer.deliver(temp(25));
    await flushMicrotasks();
    expect(consumer.acks).toEqual([]);
    core.confirmAll();
    await flushMicrotasks();
    expect(consumer.ackedTags()).toEqual([1]);
  });

  it('acks in delivery order: a dropped event waits for an earlier unconfirmed output', async () => {
    const { runner, edge, core } = setup();
    core.autoConfirm = false;
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    consumer.deliver(temp(25)); // output, unconfirmed
    consumer.deliver(temp(5)); // dropped, nothing to confirm
    consumer.deliver(temp(6)); // dropped
    await flushMicrotasks();
    expect(consumer.acks).toEqual([]);
    core.confirmAll();
    await flushMicrotasks();
    expect(consumer.acks).toEqual([{ tag: 3, allUpTo: true }]);
  });

  it('coalesces a burst of confirmed inputs into one ack-multiple', async () => {
    const { runner, edge, core } = setup();
    core.autoConfirm = false;
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    for (let i = 0; i < 100; i++) consumer.deliver(temp(21 + i));
    core.confirm(40);
    await flushMicrotasks();
    expect(consumer.acks).toEqual([{ tag: 40, allUpTo: true }]);
    core.confirmAll();
    await flushMicrotasks();
    expect(consumer.acks).toEqual([
      { tag: 40, allUpTo: true },
      { tag: 100, allUpTo: true },
    ]);
  });

  it('dead-letters bad events to ruleshift.dlx on the input broker with headers and original bytes', async () => {
    const { runner, edge, core } = setup();
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    consumer.deliver('{not json', { exchange: 'sensors', routingKey: 'temp' });
    consumer.deliver(JSON.stringify({ device: 'd1' }));
    consumer.deliver(temp('hot'));
    consumer.deliver(temp(50));
    await flushMicrotasks();

    const letters = edge.publishedTo('ruleshift.dlx');
    expect(letters.map((m) => m.options.headers?.[DEAD_LETTER_HEADERS.reason])).toEqual([
      'not-json',
      'missing-field',
      'wrong-type',
    ]);
    expect(letters[0].routingKey).toBe('job-1');
    expect(letters[0].body.toString()).toBe('{not json');
    expect(letters[0].options).toMatchObject({
      persistent: true,
      headers: {
        [DEAD_LETTER_HEADERS.jobId]: 'job-1',
        [DEAD_LETTER_HEADERS.sourceExchange]: 'sensors',
        [DEAD_LETTER_HEADERS.sourceRoutingKey]: 'temp',
        [DEAD_LETTER_HEADERS.detail]: expect.any(String),
      },
    });
    expect(core.published).toHaveLength(1);
    expect(consumer.ackedTags()).toEqual([1, 2, 3, 4]);
    expect(runner.metrics()).toEqual({
      eventsIn: 4,
      eventsOut: 1,
      deadLettered: { 'not-json': 1, 'missing-field': 1, 'wrong-type': 1 },
    });
  });

  it('keeps running when the rule operator errors: rule-error dead letter, fresh pipeline', async () => {
    let instances = 0;
    const fragile: EdgeRuleModule = {
      jobType: 'fragile',
      create: () => ({
        operator: (source) => {
          instances++;
          return source.pipe(
            map((event): RuleEmission => {
              if ((event.value as { bad?: boolean }).bad) throw new Error('template bug');
              return output(event.value);
            }),
          );
        },
      }),
    };
    const { runner, edge, core } = setup(fragile);
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    consumer.deliver('{"n":1}');
    consumer.deliver('{"bad":true}');
    consumer.deliver('{"n":2}');
    await flushMicrotasks();
    expect(core.published.map((m) => m.json())).toEqual([{ n: 1 }, { n: 2 }]);
    const [letter] = edge.publishedTo('ruleshift.dlx');
    expect(letter.options.headers?.[DEAD_LETTER_HEADERS.reason]).toBe('rule-error');
    expect(letter.body.toString()).toBe('{"bad":true}');
    expect(instances).toBe(2);
    expect(consumer.ackedTags()).toEqual([1, 2, 3]);
    expect(runner.status).toBe('RUNNING');
  });

  it('reports a throw inside a fused rule stage as unhandled and still acks the delivery', async () => {
    const reported: unknown[] = [];
    config_.onUnhandledError = (error) => reported.push(error);
    const throwing = fusedOperator<InputEvent, RuleEmission>((down) => ({
      next: (event) => {
        if ((event.value as { bad?: boolean }).bad) throw new Error('stage bug');
        down.next(output(event.value));
      },
      error: (error: unknown) => down.error(error),
      complete: () => down.complete(),
    }));
    const module: EdgeRuleModule = { jobType: 'fused', create: () => ({ operator: throwing }) };
    try {
      const { runner, edge, core } = setup(module);
      await runner.start();
      const consumer = edge.consumerOf('sensors.q');
      consumer.deliver('{"bad":true}');
      consumer.deliver('{"n":2}');
      await flushMicrotasks();
      await new Promise((done) => setTimeout(done, 0)); // the report runs on a macrotask
      expect(reported).toEqual([new Error('stage bug')]);
      expect(core.published.map((m) => m.json())).toEqual([{ n: 2 }]);
      expect(consumer.ackedTags()).toEqual([1, 2]);
      expect(runner.status).toBe('RUNNING');
    } finally {
      config_.onUnhandledError = null;
    }
  });

  it('stop cancels, waits for confirms and acks, closes the channel and returns a stateless snapshot', async () => {
    const { runner, edge, core } = setup();
    core.autoConfirm = false;
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    consumer.deliver(temp(25));
    consumer.deliver(temp(26));
    let stopped: RuleSnapshot | undefined;
    const stopping = runner.stop().then((snapshot) => (stopped = snapshot));
    await flushMicrotasks();
    expect(consumer.cancelled).toBe(true);
    expect(consumer.closed).toBe(false);
    expect(stopped).toBeUndefined();
    core.confirmAll();
    await stopping;
    expect(consumer.ackedTags()).toEqual([1, 2]);
    expect(consumer.closed).toBe(true);
    expect(runner.status).toBe('STOPPED');
    expect(stopped).toMatchObject({
      format: 'ruleshift.snapshot/v1',
      jobId: 'job-1',
      jobType: 'filter',
      templateVersion: '1.0.0',
      watermark: null,
      state: null,
      takenAt: expect.stringMatching(/^2026-01-01T/),
    });
  });

  it('can start again after stop and rejects a second start while running', async () => {
    const { runner, edge, core } = setup();
    await runner.start();
    await expect(runner.start()).rejects.toBeInstanceOf(Conflict);
    await runner.stop();
    await runner.start();
    edge.consumerOf('sensors.q').deliver(temp(99));
    expect(core.published).toHaveLength(1);
    expect(edge.consumers).toHaveLength(2);
  });

  it("publishes an output's text without reading its value (a join pair builds it lazily)", async () => {
    const reads: number[] = [];
    const lazy: EdgeRuleModule = {
      jobType: 'lazy',
      create: () => ({
        operator: map((event): RuleEmission => ({
          kind: 'output',
          raw: `{"seq":${event.seq}}`,
          get value() {
            reads.push(event.seq);
            return { seq: event.seq };
          },
        })),
      }),
    };
    const { runner, edge, core } = setup(lazy);
    await runner.start();
    edge.consumerOf('sensors.q').deliver('{}');
    expect(core.published.map((m) => m.json())).toEqual([{ seq: 0 }]);
    expect(reads).toEqual([]);
  });

  it('consumes the second input as input 1', async () => {
    const seen: number[] = [];
    const tagging: EdgeRuleModule = {
      jobType: 'join-like',
      create: () => ({
        operator: map((event): RuleEmission => (seen.push(event.input), output(event.input))),
      }),
    };
    const second = { endpoint: 'core', exchange: 'other', queue: 'other.q', routingKey: 'k' };
    const { runner, edge, core } = setup(tagging, config({ secondInput: second, prefetch: 7 }));
    await runner.start();
    edge.consumerOf('sensors.q').deliver('{}');
    core.consumerOf('other.q').deliver('{}');
    expect(seen).toEqual([0, 1]);
    expect(core.consumerOf('other.q').options.prefetch).toBe(7);
    await flushMicrotasks();
    expect(core.consumerOf('other.q').ackedTags()).toEqual([1]);
  });
});

describe('RuleRunner failures', () => {
  it('goes FAILED and reports when a publish is refused; the channel is closed unacked', async () => {
    const { runner, edge, core, failures } = setup();
    core.autoConfirm = false;
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    consumer.deliver(temp(25));
    core.rejectAll(new Error('channel closed'));
    await flushMicrotasks();
    expect(runner.status).toBe('FAILED');
    expect(failures).toEqual([expect.stringContaining('channel closed')]);
    expect(consumer.acks).toEqual([]);
    // Released at once, not at stop or exit: the closed channel requeues the delivery in order.
    expect(consumer.closed).toBe(true);
    expect(runner.status).toBe('FAILED');
  });

  it('a stateful rule that fails releases every delivery it absorbed, at once', async () => {
    const { runner, edge, core, clock } = setup(countingModule());
    core.publishError = new Error('NOT_FOUND - no exchange');
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    for (let i = 0; i < 3; i++) consumer.deliver(JSON.stringify({ i }));
    clock.fireAll();
    await flushMicrotasks();
    expect(runner.status).toBe('FAILED');
    expect(consumer.acks).toEqual([]);
    expect(consumer.closed).toBe(true);
  });

  it('a start after a failure subscribes only once the failed consumer is closed', async () => {
    const { runner, edge, core } = setup();
    core.autoConfirm = false;
    await runner.start();
    const first = edge.consumerOf('sensors.q');
    let releaseFirst!: () => void;
    first.close = () => {
      first.closed = true;
      return new Promise((resolve) => (releaseFirst = resolve));
    };
    first.deliver(temp(25));
    core.rejectAll(new Error('channel closed'));
    await flushMicrotasks();
    expect(runner.status).toBe('FAILED');

    core.autoConfirm = true;
    const restarted = runner.start();
    await flushMicrotasks();
    expect(edge.consumers).toHaveLength(1);
    releaseFirst();
    await restarted;
    expect(runner.status).toBe('RUNNING');
    expect(edge.consumers.filter((c) => !c.closed && !c.cancelled)).toHaveLength(1);
  });

  it('gives every output and dead letter a deterministic message id, the same on redelivery', async () => {
    const { runner, edge, core } = setup();
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    consumer.deliver(temp(25), { messageId: 'reading-7' });
    consumer.deliver(temp(30));
    consumer.deliver(temp(30), { redelivered: true }); // the same input again, after a crash
    consumer.deliver(temp(31));
    consumer.deliver('not json');
    await flushMicrotasks();
    const ids = core.published.map((m) => m.options.messageId);
    expect(ids[0]).toBe('job-1:i0:m-reading-7:0');
    expect(ids[1]).toMatch(/^job-1:i0:f-[0-9a-f]{14}:0$/);
    expect(ids[2]).toBe(ids[1]);
    expect(ids[3]).not.toBe(ids[1]);
    const letter = edge.published.find((m) => m.exchange === 'ruleshift.dlx')!;
    expect(letter.options.messageId).toMatch(/^job-1:i0:f-[0-9a-f]{14}:0$/);
    await runner.stop();
  });

  it('goes FAILED when the broker cannot be reached at start', async () => {
    const { runner, brokers, failures } = setup();
    brokers.unreachable = new Error('ECONNREFUSED');
    await expect(runner.start()).rejects.toThrow('ECONNREFUSED');
    expect(runner.status).toBe('FAILED');
    expect(failures).toEqual([expect.stringContaining('ECONNREFUSED')]);
  });

  it('throws at creation when the template rejects its jobProps', () => {
    expect(() => setup(filterModule, config({}, { condition: '!=' }))).toThrow(
      'jobProps.condition',
    );
  });
});

/** A counting window stand-in: emits a running count every 2 events, state is the count. */
function countingModule(): EdgeRuleModule & { restored: unknown[] } {
  const restored: unknown[] = [];
  return {
    jobType: 'counter',
    restored,
    create: (): EdgeRuleProgram => {
      let count = 0;
      return {
        operator: (source) =>
          source.pipe(
            map((event): RuleEmission => {
              count++;
              if ((event.value as { late?: boolean }).late)
                return deadLetter('late', 'too late', event.value);
              return output({ count });
            }),
          ),
        snapshot: () => ({ watermark: count * 1000, state: { count } }),
        restore: (snapshot) => {
          restored.push(snapshot);
          count = (snapshot.state as { count: number }).count;
        },
        metrics: () => ({ stateKeys: 1, watermark: count * 1000 }),
      };
    },
  };
}

class MemoryCheckpoints implements CheckpointStore {
  saved: RuleSnapshot[] = [];
  stored?: RuleSnapshot;
  load(): Promise<RuleSnapshot | undefined> {
    return Promise.resolve(this.stored);
  }
  save(snapshot: RuleSnapshot): Promise<void> {
    this.saved.push(snapshot);
    return Promise.resolve();
  }
}

describe('RuleRunner, stateful program', () => {
  it('holds emissions in the checkpoint: save, then publish, then ack once confirmed', async () => {
    const module = countingModule();
    const checkpoints = new MemoryCheckpoints();
    const { runner, edge, core, clock } = setup(module, config(), {
      checkpoints,
      checkpointIntervalMs: 500,
    });
    core.autoConfirm = false;
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    consumer.deliver('{}');
    consumer.deliver('{}');
    consumer.deliver('{}');
    await flushMicrotasks();
    expect(core.published).toEqual([]); // held until the checkpoint that holds them is saved
    expect(consumer.acks).toEqual([]);

    clock.fireAll();
    await flushMicrotasks();
    expect(checkpoints.saved.map((s) => s.state)).toEqual([{ count: 3 }]);
    expect(checkpoints.saved[0]).toMatchObject({
      checkpoint: 1,
      outbox: [
        { kind: 'output', exchange: 'alerts', routingKey: 'hot', body: '{"count":1}' },
        { kind: 'output', body: '{"count":2}' },
        { kind: 'output', body: '{"count":3}' },
      ],
      unackedInputs: [{ input: 0, fingerprints: [[expect.any(Number), 3]] }],
    });
    expect(core.published.map((m) => m.json())).toEqual([{ count: 1 }, { count: 2 }, { count: 3 }]);
    expect(core.published.map((m) => m.options.messageId)).toEqual(
      (checkpoints.saved[0] as CheckpointedSnapshot).outbox!.map((e) => e.messageId),
    );
    expect(consumer.acks).toEqual([]); // waits for the outbox's confirms
    core.confirmAll();
    await flushMicrotasks();
    expect(consumer.acks).toEqual([{ tag: 3, allUpTo: true }]);
    expect(clock.pendingTimers).toBe(1); // next checkpoint scheduled
  });

  it('after its consumer lost its channel, absorbs the redeliveries of unacked inputs once', async () => {
    const checkpoints = new MemoryCheckpoints();
    const { runner, edge, core, clock } = setup(countingModule(), config(), {
      checkpoints,
      checkpointIntervalMs: 500,
    });
    core.autoConfirm = false;
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    consumer.deliver('{"i":1}');
    consumer.deliver('{"i":2}');
    clock.fireAll(); // checkpoint 1 saved, its outbox waits for confirms: inputs 1, 2 unacked
    await flushMicrotasks();
    consumer.deliver('{"i":3}'); // absorbed, not covered by any checkpoint yet
    consumer.loseChannel(); // the connection dropped: RabbitMQ requeued 1, 2, 3
    core.confirmAll(); // checkpoint 1 completes, but its ack can no longer land
    await flushMicrotasks();
    for (const i of [1, 2, 3]) consumer.deliver(`{"i":${i}}`, { redelivered: true });
    consumer.deliver('{"i":4}');
    clock.fireAll();
    await flushMicrotasks();
    core.confirmAll();
    await flushMicrotasks();
    expect(checkpoints.saved.map((s) => s.state)).toEqual([{ count: 2 }, { count: 4 }]);
    expect(core.published.map((m) => m.json())).toEqual([
      { count: 1 },
      { count: 2 },
      { count: 3 },
      { count: 4 },
    ]);
    // Everything the new channel delivered is acked: the redeliveries and input 4.
    expect(consumer.acks).toEqual([{ tag: 7, allUpTo: true }]);
    // Checkpoint 2 records each of the four inputs it absorbed once, for a crash before its ack.
    const [unacked] = (checkpoints.saved[1] as CheckpointedSnapshot).unackedInputs!;
    expect(unacked.fingerprints.reduce((sum, [, count]) => sum + count, 0)).toBe(4);
    await runner.stop();
  });

  it('expects again the inputs of an ack the broker had not processed when the channel was lost', async () => {
    const checkpoints = new MemoryCheckpoints();
    const { runner, edge, clock } = setup(countingModule(), config(), {
      checkpoints,
      checkpointIntervalMs: 500,
    });
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    consumer.autoLand = false;
    consumer.deliver('{"i":1}');
    consumer.deliver('{"i":2}');
    clock.fireAll(); // checkpoint 1: saved, published, confirmed, inputs 1 and 2 acked
    await flushMicrotasks();
    expect(consumer.acks).toEqual([{ tag: 2, allUpTo: true }]);
    consumer.deliver('{"i":3}');
    clock.fireAll(); // checkpoint 2 is taken while the ack of 1 and 2 may still be on its way
    await flushMicrotasks();
    const [recorded] = (checkpoints.saved[1] as CheckpointedSnapshot).unackedInputs!;
    expect(recorded.fingerprints.reduce((sum, [, count]) => sum + count, 0)).toBe(3);
    consumer.deliver('{"i":4}');
    // The broker closed the connection before it processed the acks of 1, 2 and 3 (it ignores
    // whatever a client sends once it has begun closing): it requeued 1, 2, 3 and 4.
    consumer.loseChannel();
    await flushMicrotasks();
    for (const i of [1, 2, 3, 4]) consumer.deliver(`{"i":${i}}`, { redelivered: true });
    consumer.deliver('{"i":5}');
    clock.fireAll();
    await flushMicrotasks();
    expect(checkpoints.saved.map((s) => s.state)).toEqual([
      { count: 2 },
      { count: 3 },
      { count: 5 },
    ]);
    await runner.stop();
  });

  it('forgets the inputs of an ack once the broker has processed it', async () => {
    const checkpoints = new MemoryCheckpoints();
    const { runner, edge, clock } = setup(countingModule(), config(), {
      checkpoints,
      checkpointIntervalMs: 500,
    });
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    consumer.autoLand = false;
    consumer.deliver('{"i":1}');
    clock.fireAll();
    await flushMicrotasks();
    consumer.landAcks(); // the round trip after the ack came back: input 1 is gone from the queue
    await flushMicrotasks();
    consumer.deliver('{"i":2}');
    clock.fireAll();
    await flushMicrotasks();
    const [recorded] = (checkpoints.saved[1] as CheckpointedSnapshot).unackedInputs!;
    expect(recorded.fingerprints.reduce((sum, [, count]) => sum + count, 0)).toBe(1);
    await runner.stop();
  });

  it('checkpoints early once half the prefetch window waits, without the timer', async () => {
    const checkpoints = new MemoryCheckpoints();
    const { runner, edge, clock } = setup(countingModule(), config({ prefetch: 8 }), {
      checkpoints,
      checkpointIntervalMs: 60_000,
    });
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    for (let i = 0; i < 3; i++) consumer.deliver('{}');
    await flushMicrotasks();
    expect(checkpoints.saved).toHaveLength(0); // below the threshold: the timer decides
    consumer.deliver('{}');
    await flushMicrotasks();
    expect(checkpoints.saved.map((s) => s.state)).toEqual([{ count: 4 }]);
    expect(consumer.ackedTags()).toEqual([1, 2, 3, 4]);
    for (let i = 0; i < 4; i++) consumer.deliver('{}');
    await flushMicrotasks();
    expect(checkpoints.saved.map((s) => s.state)).toEqual([{ count: 4 }, { count: 8 }]);
    expect(consumer.ackedTags()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(clock.pendingTimers).toBe(1); // the periodic checkpoint is still scheduled
    await runner.stop();
  });

  it('stop takes a final checkpoint and returns it', async () => {
    const module = countingModule();
    const checkpoints = new MemoryCheckpoints();
    const { runner, edge } = setup(module, config(), { checkpoints });
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    consumer.deliver('{}');
    consumer.deliver('{"late":true}');
    const snapshot = await runner.stop();
    expect(snapshot).toMatchObject({ jobType: 'filter', watermark: 2000, state: { count: 2 } });
    // The returned snapshot is plain: its outbox is published and its inputs acked.
    expect(checkpoints.saved.at(-1)).toMatchObject({ ...snapshot, outbox: expect.any(Array) });
    expect(snapshot).not.toHaveProperty('outbox');
    expect(snapshot).not.toHaveProperty('unackedInputs');
    expect(consumer.ackedTags()).toEqual([1, 2]);
    expect(edge.publishedTo('ruleshift.dlx')).toHaveLength(1);
    expect(runner.metrics()).toMatchObject({
      eventsIn: 2,
      eventsOut: 1,
      deadLettered: { late: 1 },
      stateKeys: 1,
    });
  });

  it('restores from the given snapshot, else from the checkpoint store', async () => {
    const fromStore = countingModule();
    const checkpoints = new MemoryCheckpoints();
    checkpoints.stored = {
      format: 'ruleshift.snapshot/v1',
      jobId: 'job-1',
      jobType: 'counter',
      templateVersion: '1',
      takenAt: '',
      watermark: 5,
      state: { count: 5 },
    };
    const a = setup(fromStore, config(), { checkpoints });
    await a.runner.start();
    a.edge.consumerOf('sensors.q').deliver('{}');
    await a.runner.stop();
    expect(a.core.published.map((m) => m.json())).toEqual([{ count: 6 }]);

    const given = countingModule();
    const b = setup(given, config(), { checkpoints });
    await b.runner.start({ ...checkpoints.stored, state: { count: 40 } });
    b.edge.consumerOf('sensors.q').deliver('{}');
    await b.runner.stop();
    expect(b.core.published.map((m) => m.json())).toEqual([{ count: 41 }]);
    expect(given.restored).toHaveLength(1);
  });

  it('leaves inputs unacked when saving the checkpoint fails, and acks them at the next one', async () => {
    const module = countingModule();
    let failNext = true;
    const checkpoints: CheckpointStore = {
      load: () => Promise.resolve(undefined),
      save: () =>
        failNext ? ((failNext = false), Promise.reject(new Error('disk full'))) : Promise.resolve(),
    };
    const { runner, edge, clock } = setup(module, config(), { checkpoints });
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    consumer.deliver('{}');
    clock.fireAll();
    await flushMicrotasks();
    expect(consumer.acks).toEqual([]);
    expect(runner.status).toBe('RUNNING');
    clock.fireAll();
    await flushMicrotasks();
    expect(consumer.ackedTags()).toEqual([1]);
  });
});

describe('RuleRunner, stateful stop when the final checkpoint cannot be saved', () => {
  it('rejects, goes FAILED and closes the channel with the inputs unacked', async () => {
    const checkpoints: CheckpointStore = {
      load: () => Promise.resolve(undefined),
      save: () => Promise.reject(new Error('disk full')),
    };
    const { runner, edge, failures } = setup(countingModule(), config(), { checkpoints });
    await runner.start();
    const consumer = edge.consumerOf('sensors.q');
    consumer.deliver('{}');
    await expect(runner.stop()).rejects.toThrow('disk full');
    expect(runner.status).toBe('FAILED');
    expect(failures).toEqual([expect.stringContaining('disk full')]);
    expect(consumer.acks).toEqual([]);
    expect(consumer.closed).toBe(true);
  });
});
