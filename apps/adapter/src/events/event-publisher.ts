import type { RuleshiftEvent } from '@ruleshift/contracts';

/**
 * Sends one job or pipeline event to services (`ruleshift.events`). Only the outbox relay calls
 * it; it rejects when the event did not get out, and the relay keeps the event for later.
 */
export abstract class EventPublisher {
  abstract publish(event: RuleshiftEvent): Promise<void>;
}

/** Tests and hosts without a core broker: keeps the events in order. */
export class RecordingEventPublisher extends EventPublisher {
  readonly events: RuleshiftEvent[] = [];

  publish(event: RuleshiftEvent): Promise<void> {
    this.events.push(event);
    return Promise.resolve();
  }
}
