import type { InputEvent } from '../edge-rule';
import type { OutputEmission } from './emissions';

/**
 * An input event forwarded whole (the filter's output): its bytes as received, and its value
 * read from the event only when something asks (the runner publishes the bytes), so an event
 * whose members were extracted is never parsed whole on its way through.
 */
export class ForwardedEvent implements OutputEmission {
  readonly kind = 'output';

  constructor(private readonly event: InputEvent) {}

  get raw(): Buffer | string | undefined {
    return this.event.raw;
  }

  get value(): unknown {
    return this.event.value;
  }
}
