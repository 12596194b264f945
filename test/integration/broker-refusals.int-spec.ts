/**
 * Refused broker operations on the real RabbitMQ leave the connection serving: a name amqplib
 * cannot encode (over 255 bytes, which slipped past validation) and a declaration RabbitMQ
 * refuses (PRECONDITION_FAILED) are each one failed call, and the next declaration works.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { AmqpBrokerConnection } from '@ruleshift/broker';
import { amqpUrl } from './support/services';

const VHOST = `ruleshift-refusals-${process.pid}`;

const rabbitmqctl = (...args: string[]): void => {
  execFileSync('rabbitmqctl', args, { stdio: 'ignore', timeout: 60_000 });
};

describe('broker refusals on RabbitMQ', () => {
  let connection: AmqpBrokerConnection;
  const suffix = randomUUID().slice(0, 8);

  /** A declaration that must go through: the connection is still serving. */
  const declareGood = async (base: string): Promise<void> => {
    const exchange = `it.${base}.${suffix}`;
    const queue = `it.${base}.q.${suffix}`;
    await connection.assert({
      exchanges: [{ name: exchange, type: 'direct', durable: false }],
      queues: [{ name: queue, durable: false, autoDelete: true }],
      bindings: [{ queue, exchange, routingKey: 'k' }],
    });
    expect(await connection.queueDepth(queue)).toBe(0);
  };

  beforeAll(async () => {
    try {
      rabbitmqctl('add_vhost', VHOST);
    } catch {
      // Left over from an earlier run with the same pid: reused as is.
    }
    rabbitmqctl('set_permissions', '-p', VHOST, 'guest', '.*', '.*', '.*');
    connection = await AmqpBrokerConnection.connect({
      url: amqpUrl(VHOST),
      name: 'refusals-test',
      connectionName: `ruleshift:refusals-test:${process.pid}`,
      reconnectDelayMs: 200,
      logger: { warn: () => undefined },
    });
  });

  afterAll(async () => {
    await connection?.close();
    rabbitmqctl('delete_vhost', VHOST);
  });

  it('keeps declaring after an exchange name of 256 characters', async () => {
    await expect(
      connection.assert({ exchanges: [{ name: 'x'.repeat(256), type: 'direct' }] }),
    ).rejects.toThrow(/255/);
    await declareGood('after-long-name');
    await expect(
      connection.assert({ queues: [{ name: 'q'.repeat(300), durable: false }] }),
    ).rejects.toThrow(/255/);
    await declareGood('after-long-queue');
  });

  it('keeps declaring after RabbitMQ refuses a declaration', async () => {
    const exchange = `it.typed.${suffix}`;
    await connection.assert({ exchanges: [{ name: exchange, type: 'fanout', durable: false }] });
    await expect(
      connection.assert({ exchanges: [{ name: exchange, type: 'direct', durable: false }] }),
    ).rejects.toMatchObject({ replyCode: 406 });
    await declareGood('after-refusal');
  });
});
