import { InMemoryBroker, type InMemoryBrokerOptions } from '../in-memory/in-memory-broker';

/**
 * The in-process brokers of one process, by name. Every registry of the standalone process
 * shares the default hub, so proxy, adapter and agent see the same `edge` and `core` vhosts.
 */
export class InMemoryBrokerHub {
  private readonly brokers = new Map<string, InMemoryBroker>();

  /** `options` apply to every vhost the hub creates (e.g. queue limits). */
  constructor(private readonly options: InMemoryBrokerOptions = {}) {}

  get(name: string): InMemoryBroker {
    let broker = this.brokers.get(name);
    if (!broker) this.brokers.set(name, (broker = new InMemoryBroker(name, this.options)));
    return broker;
  }

  async closeAll(): Promise<void> {
    for (const broker of this.brokers.values()) await broker.close();
    this.brokers.clear();
  }
}

export const defaultInMemoryBrokerHub = new InMemoryBrokerHub();
