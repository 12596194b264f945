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

  constructor(
    readonly index: number,
    readonly connector: InputConnector,
    readonly broker: BrokerConnection,
  ) {}

  ack(delivery: Delivery, allUpTo: boolean): boolean {
    if (!this.consumer) return false;
    this.consumer.ack(delivery, allUpTo);
    return true;
  }
}

export function inputConnectors(connectors: {
  inputEndpoint: string;
  inputExchange: string;
  inputQueue: string;
  inputRoutingKey: string;
  exchangeType?: InputConnector['exchangeType'];
  secondInput?: InputConnector;
}): InputConnector[] {
  const first: InputConnector = {
    endpoint: connectors.inputEndpoint,
    exchange: connectors.inputExchange,
    queue: connectors.inputQueue,
    routingKey: connectors.inputRoutingKey,
    exchangeType: connectors.exchangeType,
  };
  return connectors.secondInput ? [first, connectors.secondInput] : [first];
}
