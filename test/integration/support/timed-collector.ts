/**
 * Collects a rule's outputs with their arrival time and the placement that published them:
 * Flink template jobs stamp every output with correlation id `<jobId>:<subtask>:<seq>`
 * (templates/flink RmqSink), the edge engine sets none.
 */
import type { AmqpTestClient } from './amqp';

export interface TimedOutput<T> {
  body: T;
  at: number;
  from: 'flink' | 'edge';
}

export class TimedCollector<T> {
  readonly outputs: TimedOutput<T>[] = [];

  static async start<T>(
    amqp: AmqpTestClient,
    exchange: string,
    routingKey: string,
    queue: string,
  ): Promise<TimedCollector<T>> {
    const collector = new TimedCollector<T>();
    const channel = amqp.channel;
    await channel.assertExchange(exchange, 'direct', { durable: true });
    await channel.assertQueue(queue, { durable: true });
    await channel.purgeQueue(queue);
    await channel.bindQueue(queue, exchange, routingKey);
    await channel.consume(queue, (message) => {
      if (!message) return;
      const correlationId = message.properties.correlationId as string | undefined;
      collector.outputs.push({
        body: JSON.parse(message.content.toString()) as T,
        at: Date.now(),
        from: correlationId?.includes(':') ? 'flink' : 'edge',
      });
      channel.ack(message);
    });
    return collector;
  }

  get count(): number {
    return this.outputs.length;
  }

  countFrom(from: 'flink' | 'edge'): number {
    return this.outputs.filter((o) => o.from === from).length;
  }

  /**
   * The gaps where the publishing placement changed: time from the last output of the old
   * placement to the first of the new one, in arrival order.
   */
  handovers(): { from: string; to: string; pauseMs: number }[] {
    const gaps: { from: string; to: string; pauseMs: number }[] = [];
    for (let i = 1; i < this.outputs.length; i++) {
      const [before, after] = [this.outputs[i - 1], this.outputs[i]];
      if (before.from !== after.from) {
        gaps.push({ from: before.from, to: after.from, pauseMs: after.at - before.at });
      }
    }
    return gaps;
  }
}
