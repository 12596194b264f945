import type { Topology } from '@ruleshift/broker';
import {
  CONTROL_EXCHANGE,
  CONTROL_REPLY_EXCHANGE,
  HEARTBEAT_EXCHANGE,
  controlQueueFor,
} from '@ruleshift/contracts';

/**
 * Commands older than this are dropped by the broker: after a long outage the adapter has
 * long timed out on them, and replaying a stale install/stop would fight newer decisions.
 */
export const CONTROL_MESSAGE_TTL_MS = 30_000;

/** What an agent declares on the core broker: its control queue and the heartbeat fanout. */
export function controlTopologyFor(agentId: string): Topology {
  const queue = controlQueueFor(agentId);
  return {
    exchanges: [
      { name: CONTROL_EXCHANGE, type: 'direct', durable: true },
      { name: HEARTBEAT_EXCHANGE, type: 'fanout', durable: true },
      { name: CONTROL_REPLY_EXCHANGE, type: 'direct', durable: true },
    ],
    queues: [{ name: queue, durable: true, messageTtlMs: CONTROL_MESSAGE_TTL_MS }],
    bindings: [{ queue, exchange: CONTROL_EXCHANGE, routingKey: agentId }],
  };
}
