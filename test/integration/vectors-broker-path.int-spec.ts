/**
 * Issue 7 defect 9: shared test vectors through each runtime's real broker path. Each vector's
 * rule is installed through the API on the edge agent (RuleRunner on a real RabbitMQ queue) and
 * on Flink (the job's own RabbitMQ source and sinks), its inputs are published to the input
 * exchange, and what reaches the output exchange and the dead-letter exchange must equal the
 * vector's expectation on both: outputs exactly, dead letters with the original bytes and the
 * same headers (reason, job id, source exchange and routing key; the detail is free text).
 *
 * A sentinel output and a sentinel dead letter are published last; both sinks keep input order,
 * so once both sentinels arrived nothing of the vector is still on its way.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ConsumeMessage } from 'amqplib';
import { DEAD_LETTER_EXCHANGE, DEAD_LETTER_HEADERS } from '@ruleshift/contracts';
import type { TestVector } from '@ruleshift/engine';
import type { AmqpTestClient } from './support/amqp';
import { callApi, type FlinkTestSystem, startFlinkTestSystem } from './support/flink';
import type { JobInfo } from './support/flink-rules';
import { uniqueConnectors } from './support/rules';
import { type RuleshiftSystem, waitUntil } from './support/system';
import { printLogsOnFailure } from './support/test-system';

const TEMPLATES = path.resolve(__dirname, '../../templates');
const VECTORS = [
  'filter/field-name-with-dot.json',
  'filter/field-name-with-space.json',
  'filter/missing-field.json',
  'filter/not-json.json',
];
const PLACEMENTS = [
  { runtime: 'edge', targetResource: 'gw1' },
  { runtime: 'flink', targetResource: 'flink' },
] as const;

/** `<jobType>/<name>.json` is templates/<jobType>/vectors/<name>.json. */
const readVector = (file: string): TestVector => {
  const [jobType, name] = file.split('/');
  return JSON.parse(
    readFileSync(path.join(TEMPLATES, jobType, 'vectors', name), 'utf8'),
  ) as TestVector;
};

const bodyOf = (input: TestVector['inputs'][number]): Buffer =>
  Buffer.from(input.raw ?? JSON.stringify(input.event));

describe('shared vectors through the real broker path of each runtime (RabbitMQ, Flink)', () => {
  let flink: FlinkTestSystem | undefined;
  let system: RuleshiftSystem;
  let amqp: AmqpTestClient;
  let producer: AmqpTestClient;
  const started = new Set<string>();

  beforeAll(async () => {
    flink = await startFlinkTestSystem(started);
    ({ system, amqp, producer } = flink);
  }, 900_000);

  afterAll(() => flink?.stop());

  printLogsOnFailure(() => system);

  const call = (op: string, body: unknown): Promise<JobInfo> => callApi(system, op, body);

  /** Every message the DLX routes for `jobId`, on a queue of the test's own. */
  const collectDeadLetters = async (jobId: string): Promise<ConsumeMessage[]> => {
    const queue = `vectors.dead-letters.${jobId}`;
    const messages: ConsumeMessage[] = [];
    await amqp.channel.assertQueue(queue, { durable: false, autoDelete: true });
    await amqp.channel.bindQueue(queue, DEAD_LETTER_EXCHANGE, jobId);
    await amqp.channel.consume(queue, (message) => {
      if (!message) return;
      messages.push(message);
      amqp.channel.ack(message);
    });
    return messages;
  };

  const cases = PLACEMENTS.flatMap((placement) =>
    VECTORS.map((file) => [`${placement.runtime}: ${file}`, placement, file] as const),
  );

  it.each(cases)('%s', async (_label, placement, file) => {
    const vector = readVector(file);
    const firstOutput = vector.expected.outputs[0] as Record<string, unknown>;
    expect(firstOutput).toBeDefined();
    const connectors = uniqueConnectors(`vectors-${placement.runtime}`);
    const installed = await call('install', {
      headers: { ...placement, jobType: file.split('/')[0] },
      jobConfig: { connectors },
      jobProps: vector.jobProps,
    });
    started.add(installed.jobId);
    const output = await amqp.collect(
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );
    const deadLetters = await collectDeadLetters(installed.jobId);
    const running = await call('start', installed);

    // A copy of an expected output passes the same filter; a non-JSON body is dead-lettered.
    const sentinel = randomUUID();
    const sentinelOutput = { ...firstOutput, sentinel };
    const sentinelDeadLetter = Buffer.from(`sentinel ${sentinel}`);
    await producer.publishRaw(connectors.inputExchange, connectors.inputRoutingKey, [
      ...vector.inputs.map(bodyOf),
      Buffer.from(JSON.stringify(sentinelOutput)),
      sentinelDeadLetter,
    ]);
    await waitUntil(
      'both sentinels',
      async () =>
        output.json().some((o) => o.sentinel === sentinel) &&
        deadLetters.some((d) => d.content.equals(sentinelDeadLetter)),
      120_000,
      250,
    );

    expect(output.json()).toEqual([...vector.expected.outputs, sentinelOutput]);
    const expectedDeadLetters = [...vector.expected.deadLetters.map((d) => d.reason), 'not-json'];
    expect(
      deadLetters.map((d) => String(d.properties.headers?.[DEAD_LETTER_HEADERS.reason])),
    ).toEqual(expectedDeadLetters);
    const inputs = [...vector.inputs.map(bodyOf), sentinelDeadLetter];
    for (const letter of deadLetters) {
      expect(inputs.some((body) => body.equals(letter.content))).toBe(true);
      const {
        [DEAD_LETTER_HEADERS.detail]: detail,
        [DEAD_LETTER_HEADERS.deadLetteredAt]: deadLetteredAt,
        ...headers
      } = letter.properties.headers ?? {};
      expect(typeof detail).toBe('string');
      // Both engines stamp when they dead-lettered the event: an ISO-8601 instant.
      expect(new Date(String(deadLetteredAt)).toISOString()).toBe(deadLetteredAt);
      expect(headers).toEqual({
        [DEAD_LETTER_HEADERS.reason]: headers[DEAD_LETTER_HEADERS.reason],
        [DEAD_LETTER_HEADERS.jobId]: installed.jobId,
        [DEAD_LETTER_HEADERS.sourceExchange]: connectors.inputExchange,
        [DEAD_LETTER_HEADERS.sourceRoutingKey]: connectors.inputRoutingKey,
      });
    }

    await call('uninstall', running);
    started.delete(installed.jobId);
  });
});
