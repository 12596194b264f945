import type { RuleshiftEvent } from '@ruleshift/contracts';

/**
 * Publishes job and pipeline events for services (`ruleshift.events`). Called after the
 * registry committed what the event says; never fails the operation it reports.
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
