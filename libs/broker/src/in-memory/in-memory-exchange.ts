import type { ExchangeType } from '@ruleshift/contracts';
import { compileTopicPattern } from './topic-pattern';

interface TopicBinding<Q> {
  pattern: string;
  queue: Q;
  matches: (routingKey: string) => boolean;
}

const TOPIC_CACHE_LIMIT = 10_000;

/** Routing table of one exchange. Generic over the queue type so it stays a pure structure. */
export class InMemoryExchange<Q> {
  private readonly direct = new Map<string, Set<Q>>();
  private readonly all = new Set<Q>();
  private readonly topic: TopicBinding<Q>[] = [];
  private readonly topicCache = new Map<string, Q[]>();
  private bindingCount = 0;

  constructor(
    readonly name: string,
    readonly type: ExchangeType,
    readonly durable: boolean,
  ) {}

  bind(queue: Q, routingKey: string): void {
    switch (this.type) {
      case 'direct': {
        let set = this.direct.get(routingKey);
        if (!set) this.direct.set(routingKey, (set = new Set()));
        if (!set.has(queue)) this.bindingCount++;
        set.add(queue);
        return;
      }
      case 'topic':
        if (this.topic.some((b) => b.queue === queue && b.pattern === routingKey)) return;
        this.topic.push({ pattern: routingKey, queue, matches: compileTopicPattern(routingKey) });
        this.topicCache.clear();
        this.bindingCount++;
        return;
      // A headers binding without arguments (x-match all of nothing) matches every message.
      case 'fanout':
      case 'headers':
        if (!this.all.has(queue)) this.bindingCount++;
        this.all.add(queue);
        return;
      default: {
        const unknown: never = this.type;
        throw new Error(`unknown exchange type ${String(unknown)}`);
      }
    }
  }

  unbindQueue(queue: Q): void {
    for (const [key, set] of this.direct) {
      if (set.delete(queue)) this.bindingCount--;
      if (set.size === 0) this.direct.delete(key);
    }
    if (this.all.delete(queue)) this.bindingCount--;
    for (let i = this.topic.length - 1; i >= 0; i--) {
      if (this.topic[i].queue === queue) {
        this.topic.splice(i, 1);
        this.bindingCount--;
      }
    }
    this.topicCache.clear();
  }

  /** Every binding as queue and routing key (a fanout or headers binding's key is ''). */
  bindings(): Array<{ queue: Q; routingKey: string }> {
    const found: Array<{ queue: Q; routingKey: string }> = [];
    for (const [routingKey, queues] of this.direct) {
      for (const queue of queues) found.push({ queue, routingKey });
    }
    for (const queue of this.all) found.push({ queue, routingKey: '' });
    for (const binding of this.topic)
      found.push({ queue: binding.queue, routingKey: binding.pattern });
    return found;
  }

  get hasBindings(): boolean {
    return this.bindingCount > 0;
  }

  route(routingKey: string): Iterable<Q> {
    switch (this.type) {
      case 'direct':
        return this.direct.get(routingKey) ?? [];
      case 'fanout':
      case 'headers':
        return this.all;
      case 'topic':
        return this.routeTopic(routingKey);
      default: {
        const unknown: never = this.type;
        throw new Error(`unknown exchange type ${String(unknown)}`);
      }
    }
  }

  private routeTopic(routingKey: string): Q[] {
    const cached = this.topicCache.get(routingKey);
    if (cached) return cached;
    const queues = new Set<Q>();
    for (const binding of this.topic) if (binding.matches(routingKey)) queues.add(binding.queue);
    const result = [...queues];
    if (this.topicCache.size >= TOPIC_CACHE_LIMIT) this.topicCache.clear();
    this.topicCache.set(routingKey, result);
    return result;
  }
}
