import { Logger } from '@nestjs/common';
import { routingKeyOf, type RuleshiftEvent } from '@ruleshift/contracts';
import type { Clock } from '../../shared/clock';
import { EventPublisher } from '../event-publisher';
import type { EventOutbox } from './event-outbox.repository';

const BATCH = 100;
/** A publish that has not been confirmed by then counts as refused (the broker is away). */
export const PUBLISH_TIMEOUT_MS = 5_000;

/**
 * Publishes the outbox: oldest event first, each marked once the broker confirmed it. A refusal
 * (broker down, exchange refused, ...) stops the round at that event, so nothing after it goes
 * out first and a job's events keep their order; the event is published by a later round (the
 * next operation's flush or the active adapter's periodic retry). Rounds never overlap.
 * Delivery is at least once: a publish that timed out may still land, and its retry with it;
 * the AMQP message id is the eventId, so a service drops the repeat by id.
 */
export class EventRelay {
  private readonly logger = new Logger('EventRelay');
  private round: Promise<void> = Promise.resolve();

  constructor(
    private readonly outbox: EventOutbox,
    private readonly publisher: EventPublisher,
    private readonly clock: Pick<Clock, 'now' | 'every'>,
  ) {}

  /** Publishes what is pending; resolves when this round ends. Never throws. */
  flush(): Promise<void> {
    this.round = this.round.then(() =>
      this.publishPending().catch((error: unknown) => {
        this.logger.warn(`outbox not read: ${messageOf(error)}`);
      }),
    );
    return this.round;
  }

  private async publishPending(): Promise<void> {
    for (;;) {
      const batch = await this.outbox.pending(BATCH);
      for (const { id, event, attempts } of batch) {
        try {
          await this.publishWithin(event, PUBLISH_TIMEOUT_MS);
        } catch (error) {
          this.logger.warn(
            `event ${routingKeyOf(event)} (${event.eventId}) not published yet, attempt ` +
              `${attempts + 1}: ${messageOf(error)}`,
          );
          await this.outbox.recordFailure(id, messageOf(error));
          return;
        }
        await this.outbox.markPublished(id, this.clock.now());
      }
      if (batch.length < BATCH) return;
    }
  }

  private async publishWithin(event: RuleshiftEvent, ms: number): Promise<void> {
    const published = this.publisher.publish(event).then(() => true);
    // A cancellable timer (clock.every), so a confirmed publish leaves nothing pending behind.
    let cancel = (): void => undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      cancel = this.clock.every(ms, () => resolve(false));
    });
    const confirmed = await Promise.race([published, timedOut]).finally(() => cancel());
    if (!confirmed) {
      published.catch(() => undefined); // settles later, if ever: the retry decides
      throw new Error(`no broker confirm within ${ms} ms`);
    }
  }
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
