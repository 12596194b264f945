import {
  BrokerError,
  REPLY_CODES,
  deadLetterQueueFor,
  ruleEndpoints,
  type BrokerRegistry,
  type StoredMessage,
} from '@ruleshift/broker';
import {
  DEFAULT_DEAD_LETTER_MAX_LENGTH,
  RuntimeUnavailable,
  type RuleConfig,
} from '@ruleshift/contracts';
import { DeadLetterQueues } from './dead-letter-queues';
import { replayHeaders, replayTargetOf } from './replay-target';

export class BrokerDeadLetterQueues extends DeadLetterQueues {
  constructor(private readonly brokers: BrokerRegistry) {
    super();
  }

  async list(config: RuleConfig): Promise<StoredMessage[]> {
    const queue = deadLetterQueueFor(config.jobId);
    const max = config.deadLetterQueue?.maxLength ?? DEFAULT_DEAD_LETTER_MAX_LENGTH;
    const found: StoredMessage[] = [];
    for (const endpoint of ruleEndpoints(config)) {
      const letters = await this.onBroker(endpoint, (broker) => broker.browse(queue, max), []);
      found.push(...letters);
    }
    return found;
  }

  async replay(config: RuleConfig, count: number | undefined): Promise<number> {
    const queue = deadLetterQueueFor(config.jobId);
    let replayed = 0;
    for (const endpoint of ruleEndpoints(config)) {
      replayed += await this.onBroker(
        endpoint,
        async (broker) => {
          // Only what waits now: a replayed event the rule dead-letters again is not retaken.
          const waiting = await broker.queueDepth(queue);
          const wanted = Math.min(waiting, count === undefined ? waiting : count - replayed);
          return broker.take(queue, wanted, async (letter) => {
            const target = replayTargetOf(config, endpoint, letter.headers);
            try {
              const input = await this.brokers.get(target.endpoint);
              await input.publish(target.exchange, target.routingKey, letter.body, {
                headers: replayHeaders(letter.headers),
              });
            } catch (error) {
              throw new RuntimeUnavailable(
                'jobId',
                `republishing to exchange '${target.exchange}' on ${target.endpoint} failed (${
                  error instanceof Error ? error.message : String(error)
                }); the dead letter stays queued`,
              );
            }
          });
        },
        0,
      );
      if (count !== undefined && replayed >= count) break;
    }
    return replayed;
  }

  async purge(config: RuleConfig): Promise<number> {
    const queue = deadLetterQueueFor(config.jobId);
    let purged = 0;
    for (const endpoint of ruleEndpoints(config)) {
      purged += await this.onBroker(endpoint, (broker) => broker.purge(queue), 0);
    }
    return purged;
  }

  /** A queue the broker does not have holds nothing; any other failure is a 503. */
  private async onBroker<T>(
    endpoint: string,
    operation: (broker: Awaited<ReturnType<BrokerRegistry['get']>>) => Promise<T>,
    whenMissing: T,
  ): Promise<T> {
    try {
      return await operation(await this.brokers.get(endpoint));
    } catch (error) {
      if (error instanceof BrokerError && error.replyCode === REPLY_CODES.NOT_FOUND) {
        return whenMissing;
      }
      if (error instanceof RuntimeUnavailable) throw error;
      throw new RuntimeUnavailable(
        'jobId',
        `the dead-letter queue on broker ${endpoint} is unreachable (${
          error instanceof Error ? error.message : String(error)
        })`,
      );
    }
  }
}
