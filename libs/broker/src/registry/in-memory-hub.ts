import type { InMemoryBrokerStateStore } from '../in-memory/durable-state';
import { InMemoryBroker, type InMemoryBrokerOptions } from '../in-memory/in-memory-broker';

export interface InMemoryBrokerHubOptions extends InMemoryBrokerOptions {
  /**
   * Where the vhosts' durable state is kept between runs: `restore()` takes it back, `closeAll()`
   * saves it. Without one, everything is lost when the process ends.
   */
  stateStore?: InMemoryBrokerStateStore;
}

/**
 * The in-process brokers of one process, by name. Every registry of the standalone process
 * shares the default hub, so proxy, adapter and agent see the same `edge` and `core` vhosts.
 */
export class InMemoryBrokerHub {
  private readonly brokers = new Map<string, InMemoryBroker>();

  /** `options` apply to every vhost the hub creates (e.g. queue limits). */
  constructor(private readonly options: InMemoryBrokerHubOptions = {}) {}

  get(name: string): InMemoryBroker {
    let broker = this.brokers.get(name);
    if (!broker) this.brokers.set(name, (broker = new InMemoryBroker(name, this.options)));
    return broker;
  }

  /**
   * Puts back what the last clean stop kept; call it before anything uses the hub. The store
   * keeps its copy until every vhost is back: when one fails, the hub is left empty and the
   * error goes up with nothing lost (a fixed file or program restores it on the next start).
   */
  async restore(): Promise<void> {
    const store = this.options.stateStore;
    if (!store) return;
    const states = await store.read();
    try {
      for (const [name, state] of states) this.get(name).restoreDurable(state);
    } catch (error) {
      // Half-restored vhosts must not be saved over the kept state by a later closeAll().
      this.brokers.clear();
      throw error;
    }
    await store.discard(states.keys());
  }

  /**
   * Closes every vhost (consumers' unsettled deliveries go back to their queues first), then
   * saves each one's durable state to the store, if there is one.
   */
  async closeAll(): Promise<void> {
    const brokers = [...this.brokers.entries()];
    this.brokers.clear();
    for (const [, broker] of brokers) await broker.close();
    const store = this.options.stateStore;
    if (!store) return;
    for (const [name, broker] of brokers) await store.save(name, broker.durableState());
  }
}

export const defaultInMemoryBrokerHub = new InMemoryBrokerHub();
