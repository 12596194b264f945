import { decodeJson, type BrokerConnection, type Consumer, type Delivery } from '@ruleshift/broker';

/** Collects JSON messages of a queue, acking each; `waitFor` resolves once `n` arrived. */
export class Collector {
  readonly messages: Array<{ value: unknown; headers: Record<string, unknown> }> = [];
  private waiters: Array<{ n: number; resolve: () => void }> = [];
  private consumer?: Consumer;

  static async on(broker: BrokerConnection, queue: string): Promise<Collector> {
    const collector = new Collector();
    collector.consumer = await broker.consume(queue, (d: Delivery) => collector.receive(d), {
      prefetch: 1000,
    });
    return collector;
  }

  values(): unknown[] {
    return this.messages.map((m) => m.value);
  }

  waitFor(n: number): Promise<void> {
    if (this.messages.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  async close(): Promise<void> {
    await this.consumer?.close();
  }

  private receive(delivery: Delivery): void {
    this.messages.push({ value: decodeJson(delivery), headers: delivery.headers });
    this.consumer?.ack(delivery);
    this.waiters = this.waiters.filter((w) => {
      if (this.messages.length < w.n) return true;
      w.resolve();
      return false;
    });
  }
}
