import { InMemoryBroker } from '../in-memory/in-memory-broker';

/**
 * The in-process brokers of one process, by name. Every registry of the standalone process
 * shares the default hub, so proxy, adapter and agent see the same `edge` and `core` vhosts.
 */
export class InMemoryBrokerHub {
  private readonly brokers = new Map<string, InMemoryBroker>();

  get(name: string): InMemoryBroker {
    let broker = this.brokers.get(name);
    if (!broker) this.brokers.set(name, (broker = new InMemoryBroker(name)));
    return broker;
  }

  async closeAll(): Promise<void> {
    for (const broker of this.brokers.values()) await broker.close();
    this.brokers.clear();
  }
}

export const defaultInMemoryBrokerHub = new InMemoryBrokerHub();
