/**
 * Queues have a lifecycle (issue 7, defect 6): uninstall deletes what the rule owned on the
 * real RabbitMQ, keeps what another job still reads, and a dead-letter queue stays within its
 * bound with the drops counted in GET /api/jobs/{id}.
 */
import type { AmqpTestClient } from './support/amqp';
import { filterInstallation, readings, uniqueConnectors } from './support/rules';
import { type RuleshiftSystem, waitUntil } from './support/system';
import { printLogsOnFailure, startTestSystem, type TestSystem } from './support/test-system';

interface JobInfo {
  runtime: string;
  jobId: string;
  jobType: string;
  jobStatus: string;
  configFileName: string;
}
interface JobDetails extends JobInfo {
  deadLetterQueue?: { maxLength: number; dropped: number };
}

const DEAD_LETTER_MAX_LENGTH = 5;

describe('queue lifecycle and bounded dead-letter queues (real RabbitMQ)', () => {
  let testSystem: TestSystem | undefined;
  let system: RuleshiftSystem;
  let amqp: AmqpTestClient;

  beforeAll(async () => {
    testSystem = await startTestSystem({
      agents: ['gw1'],
      extraEnv: { DEAD_LETTER_MAX_LENGTH: String(DEAD_LETTER_MAX_LENGTH) },
    });
    ({ system, amqp } = testSystem);
  });

  afterAll(() => testSystem?.stop());

  printLogsOnFailure(() => system);

  async function call<T>(path: string, body: unknown): Promise<T> {
    const response = await system.api<T>('POST', path, body);
    expect(response.status).toBe(200);
    return response.body;
  }

  it('bounds the dead-letter queue, counts the drops, and uninstall deletes both queues', async () => {
    const connectors = uniqueConnectors('dlq-bound');
    const job = await call<JobInfo>('/api/install', filterInstallation('gw1', connectors));
    const dlq = `ruleshift.dlq.${job.jobId}`;
    expect(await amqp.queueExists(connectors.inputQueue)).toBe(true);
    expect(await amqp.queueExists(dlq)).toBe(true);
    await call('/api/start', job);

    const badEvents = DEAD_LETTER_MAX_LENGTH + 3;
    const output = await amqp.collect(
      connectors.outputExchange,
      connectors.outputRoutingKey,
      `${connectors.outputExchange}.collector`,
    );
    await amqp.publishRaw(
      connectors.inputExchange,
      connectors.inputRoutingKey,
      Array.from({ length: badEvents }, (_, i) => Buffer.from(`not json ${i}`)),
    );
    // A sentinel behind the bad events: once it is out, every dead letter was published.
    const [sentinel] = readings(1);
    await amqp.publishJson(connectors.inputExchange, connectors.inputRoutingKey, [sentinel]);
    await waitUntil('the sentinel output', async () => output.count >= 1);

    await waitUntil('the drops counted', async () => {
      const details = await system.api<JobDetails>('GET', `/api/jobs/${job.jobId}`);
      return details.body.deadLetterQueue?.dropped === badEvents - DEAD_LETTER_MAX_LENGTH;
    });
    const details = await system.api<JobDetails>('GET', `/api/jobs/${job.jobId}`);
    expect(details.body.deadLetterQueue).toEqual({
      maxLength: DEAD_LETTER_MAX_LENGTH,
      dropped: badEvents - DEAD_LETTER_MAX_LENGTH,
    });
    // The newest letters are the ones kept.
    const kept = await amqp.collectExisting(dlq);
    await waitUntil('the kept dead letters', async () => kept.count >= DEAD_LETTER_MAX_LENGTH);
    expect(kept.messages.map((m) => m.content.toString())).toEqual(
      Array.from({ length: DEAD_LETTER_MAX_LENGTH }, (_, i) => `not json ${i + 3}`),
    );

    const uninstalled = await call<JobInfo>('/api/uninstall', { ...job, jobStatus: 'RUNNING' });
    expect(uninstalled.jobStatus).toBe('UNINSTALLED');
    expect(await amqp.queueExists(connectors.inputQueue)).toBe(false);
    expect(await amqp.queueExists(dlq)).toBe(false);
  });

  it('keeps an input queue another job reads until its last reader is uninstalled', async () => {
    const connectors = uniqueConnectors('shared-input');
    const first = await call<JobInfo>('/api/install', filterInstallation('gw1', connectors));
    const second = await call<JobInfo>('/api/install', filterInstallation('gw1', connectors));

    await call('/api/uninstall', first);
    expect(await amqp.queueExists(connectors.inputQueue)).toBe(true);
    expect(await amqp.queueExists(`ruleshift.dlq.${first.jobId}`)).toBe(false);
    expect(await amqp.queueExists(`ruleshift.dlq.${second.jobId}`)).toBe(true);

    await call('/api/uninstall', second);
    expect(await amqp.queueExists(connectors.inputQueue)).toBe(false);
    expect(await amqp.queueExists(`ruleshift.dlq.${second.jobId}`)).toBe(false);
  });

  it('keeps the input queue and what waits in it when asked (keepInputQueue)', async () => {
    const connectors = uniqueConnectors('keep-input');
    const job = await call<JobInfo>('/api/install', filterInstallation('gw1', connectors));
    await amqp.publishJson(connectors.inputExchange, connectors.inputRoutingKey, readings(3));

    await call('/api/uninstall', { ...job, keepInputQueue: true });
    expect(await amqp.queueExists(connectors.inputQueue)).toBe(true);
    expect(await amqp.queueExists(`ruleshift.dlq.${job.jobId}`)).toBe(false);
    expect((await amqp.channel.checkQueue(connectors.inputQueue)).messageCount).toBe(3);
  });
});
