import { declareRuleTopology, deadLetterQueueFor, type BrokerRegistry } from '@ruleshift/broker';
import { DEAD_LETTER_EXCHANGE, DEAD_LETTER_HEADERS, type RuleConfig } from '@ruleshift/contracts';
import { AdapterTestKit, errorOf } from '../../../testing/adapter-test-kit';
import { BrokerDeadLetterQueues } from '../../broker-dead-letter-queues';
import { ReplayDeadLettersUseCase } from '../replay-dead-letters/replay-dead-letters.usecase';

/** The same use cases over the kit's in-process brokers, dead letters and rule as a runner sees them. */
async function rule() {
  const kit = new AdapterTestKit();
  await kit.registerRuntime('edge', 'gw-1');
  const info = await kit.useCases.install.execute(kit.installation());
  const config = (await kit.useCases.getJobConfig.execute({ jobId: info.jobId })).content;
  await declareRuleTopology(kit.realBrokers, config);
  const edge = await kit.realBrokers.get('edge');
  let n = 0;
  const deadLetter = (reason: string, body: string) =>
    edge.publish(DEAD_LETTER_EXCHANGE, info.jobId, Buffer.from(body), {
      headers: {
        [DEAD_LETTER_HEADERS.reason]: reason,
        [DEAD_LETTER_HEADERS.detail]: `${reason} detail`,
        [DEAD_LETTER_HEADERS.jobId]: info.jobId,
        [DEAD_LETTER_HEADERS.sourceExchange]: 'sensors',
        [DEAD_LETTER_HEADERS.sourceRoutingKey]: 'temperature',
        [DEAD_LETTER_HEADERS.deadLetteredAt]: `2026-12-01T09:00:0${n++}.000Z`,
      },
    });
  /** Bodies waiting in the rule's input queue, oldest first. */
  const input = async () =>
    (await edge.browse('filter-in', 100)).map((m) => m.body.toString('utf8'));
  return { kit, jobId: info.jobId, config, edge, deadLetter, input };
}

describe('dead letters of a rule (list, replay, purge)', () => {
  it('counts them by reason and shows the most recent first, with headers and body', async () => {
    const { kit, jobId, deadLetter } = await rule();
    await deadLetter('not-json', '{oops');
    await deadLetter('missing-field', '{"deviceId":"d1"}');
    await deadLetter('not-json', 'plain text');
    kit.drops.counts.set(jobId, 7);

    const report = await kit.useCases.listDeadLetters.execute({ jobId, limit: 2 });
    expect(report).toMatchObject({
      jobId,
      total: 3,
      byReason: { 'not-json': 2, 'missing-field': 1 },
      overflowed: 7,
    });
    expect(report.messages).toEqual([
      {
        reason: 'not-json',
        detail: 'not-json detail',
        headers: expect.objectContaining({ [DEAD_LETTER_HEADERS.sourceExchange]: 'sensors' }),
        body: 'plain text',
        deadLetteredAt: '2026-12-01T09:00:02.000Z',
      },
      expect.objectContaining({ reason: 'missing-field', body: { deviceId: 'd1' } }),
    ]);
    // Reading takes nothing away.
    expect((await kit.useCases.listDeadLetters.execute({ jobId })).total).toBe(3);
  });

  it('replays the oldest ones to the rule input in order, without their dead-letter headers', async () => {
    const { kit, jobId, edge, deadLetter, input } = await rule();
    for (const body of ['{"n":1}', '{"n":2}', '{"n":3}']) await deadLetter('rule-error', body);

    expect(await kit.useCases.replayDeadLetters.execute({ jobId, count: 2 })).toEqual({
      replayed: 2,
    });
    expect(await input()).toEqual(['{"n":1}', '{"n":2}']);
    const [replayed] = await edge.browse('filter-in', 1);
    expect(Object.keys(replayed.headers).filter((h) => h.startsWith('x-ruleshift-'))).toEqual([]);
    expect((await kit.useCases.listDeadLetters.execute({ jobId })).total).toBe(1);

    expect(await kit.useCases.replayDeadLetters.execute({ jobId })).toEqual({ replayed: 1 });
    expect(await input()).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
  });

  it('keeps a dead letter whose republish the broker refused, and says so', async () => {
    const { kit, jobId, deadLetter } = await rule();
    await deadLetter('rule-error', '{"n":1}');
    const refusing: BrokerRegistry = {
      validateEndpoint: (e, f) => kit.realBrokers.validateEndpoint(e, f),
      closeAll: () => Promise.resolve(),
      get: async (endpoint) => {
        const broker = await kit.realBrokers.get(endpoint);
        return {
          ...broker,
          take: broker.take.bind(broker),
          queueDepth: broker.queueDepth.bind(broker),
          publish: () => Promise.reject(new Error('publish nacked')),
        };
      },
    };
    const replay = new ReplayDeadLettersUseCase(
      kit.useCases.access,
      new BrokerDeadLetterQueues(refusing),
    );
    expect(await errorOf(replay.execute({ jobId }))).toMatchObject({
      code: 'RUNTIME_UNAVAILABLE',
      errors: [{ field: 'jobId', reason: expect.stringContaining('publish nacked') }],
    });
    expect((await kit.useCases.listDeadLetters.execute({ jobId })).total).toBe(1);
  });

  it('purges them all', async () => {
    const { kit, jobId, deadLetter, config } = await rule();
    await deadLetter('late', '{}');
    await deadLetter('late', '{}');
    expect(await kit.useCases.purgeDeadLetters.execute({ jobId })).toEqual({ purged: 2 });
    expect(await (await kit.realBrokers.get('edge')).queueDepth(dlq(config))).toBe(0);
  });

  it('names the field of a bad request and of an unknown job', async () => {
    const { kit, jobId } = await rule();
    expect(
      await errorOf(kit.useCases.listDeadLetters.execute({ jobId, limit: 1001 })),
    ).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'limit' }] });
    expect(
      await errorOf(kit.useCases.replayDeadLetters.execute({ jobId, count: 0 })),
    ).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'count' }] });
    expect(
      await errorOf(
        kit.useCases.purgeDeadLetters.execute({ jobId: '00000000-0000-4000-8000-000000000000' }),
      ),
    ).toMatchObject({ code: 'NOT_FOUND', errors: [{ field: 'jobId' }] });
  });
});

const dlq = (config: RuleConfig) => deadLetterQueueFor(config.jobId);
