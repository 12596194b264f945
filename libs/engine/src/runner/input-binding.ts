/** One input connector of a running rule: its broker, consumer and ack bookkeeping. */
import type { BrokerConnection, Consumer, Delivery } from '@ruleshift/broker';
import type { InputConnector } from '@ruleshift/contracts';
import { AckLedger, type AckSink } from './ack-ledger';
import { FingerprintMultiset } from './fingerprint-multiset';

export class InputBinding implements AckSink {
  consumer?: Consumer;
  readonly ledger = new AckLedger(this);
  /** Stateful rules: the newest delivery not yet covered by a checkpoint. */
  uncovered?: Delivery;
  /** Stateful rules: fingerprints of the deliveries absorbed since the last checkpoint. */
  absorbed = new FingerprintMultiset();
  /**
   * After a restore: deliveries the restored state already absorbed but that were never acked.
   * Their redeliveries are acked without being processed.
   */
  alreadyAbsorbed?: FingerprintMultiset;
  /**
   * Stateful rules: the fingerprints of each checkpoint taken whose deliveries are not acked
   * yet (saving, publishing its outbox or waiting for confirms).
   */
  readonly unackedCheckpoints = new Set<FingerprintMultiset>();
  /**
   * Stateful rules: the fingerprints of each checkpoint acked whose ack the broker has not yet
   * been seen to process (Consumer.acksLanded). A connection closed meanwhile may have lost it.
   */
  readonly landingCheckpoints = new Set<FingerprintMultiset>();

  constructor(
    /** Position among the rule's consumed queues (what checkpoints record per queue). */
    readonly index: number,
    readonly connector: InputConnector,
    readonly broker: BrokerConnection,
    /** The logical input the queue feeds (0, or 1 for a second input); a partition's input's. */
    readonly input: number = index,
  ) {}

  /**
   * Stateful rules: the consumer lost its channel, so once it has re-attached RabbitMQ
   * redelivers, first, everything this rule absorbed and had not acked (acks of checkpoints
   * still running are lost too), and everything whose ack it had not processed yet. Those are expected like the unacked inputs of a restored
   * checkpoint: their redeliveries are recognised by fingerprint and acked by the next
   * checkpoint without being absorbed twice.
   */
  readonly expectRedeliveries = (): void => {
    const coming = this.alreadyAbsorbed ?? new FingerprintMultiset();
    for (const fingerprints of this.landingCheckpoints) coming.addAll(fingerprints);
    for (const fingerprints of this.unackedCheckpoints) coming.addAll(fingerprints);
    coming.addAll(this.absorbed);
    this.landingCheckpoints.clear();
    this.unackedCheckpoints.clear();
    this.absorbed = new FingerprintMultiset();
    // Acking it would be a no-op: it belongs to the lost channel.
    this.uncovered = undefined;
    this.alreadyAbsorbed = coming.size > 0 ? coming : undefined;
  };

  /**
   * Stateful rules: acks every delivery up to `delivery`, whose fingerprints a checkpoint
   * recorded; they are expected again on a channel loss until the broker has processed the ack.
   */
  ackCheckpoint(delivery: Delivery, fingerprints: FingerprintMultiset): void {
    const consumer = this.consumer;
    if (!consumer) return;
    consumer.ack(delivery, true);
    this.landingCheckpoints.add(fingerprints);
    void consumer.acksLanded().then((landed) => {
      // Not landed: the channel was lost, and expectRedeliveries took them already.
      if (landed) this.landingCheckpoints.delete(fingerprints);
    });
  }

  ack(delivery: Delivery, allUpTo: boolean): boolean {
    if (!this.consumer) return false;
    this.consumer.ack(delivery, allUpTo);
    return true;
  }
}

/**
 * Every queue a rule consumes, each with the logical input it feeds: input #0 (the paper's flat
 * fields) or, when it is partitioned, each of its partition queues (`inputQueues`, consumed all
 * by this one rule: each key's events are in one partition, so they stay in order), then
 * `secondInput` as input #1.
 */
export function inputConnectors(connectors: {
  inputEndpoint: string;
  inputExchange: string;
  inputQueue: string;
  inputRoutingKey: string;
  exchangeType?: InputConnector['exchangeType'];
  secondInput?: InputConnector;
  inputQueues?: string[];
}): { input: number; connector: InputConnector }[] {
  const first: InputConnector = {
    endpoint: connectors.inputEndpoint,
    exchange: connectors.inputExchange,
    queue: connectors.inputQueue,
    routingKey: connectors.inputRoutingKey,
    exchangeType: connectors.exchangeType,
  };
  const queues = connectors.inputQueues?.length ? connectors.inputQueues : [first.queue];
  const consumed = queues.map((queue) => ({ input: 0, connector: { ...first, queue } }));
  if (connectors.secondInput) consumed.push({ input: 1, connector: connectors.secondInput });
  return consumed;
}
