import type { BindingSpec, ExchangeSpec, Headers, QueueSpec } from '../broker-port';

/**
 * What an in-process vhost keeps across a clean stop of its process, as RabbitMQ keeps it across
 * a restart: durable exchanges, durable queues (not exclusive, not auto-delete) with their
 * arguments, the bindings between them, and the persistent messages ready in those queues.
 */
export interface DurableVhostState {
  format: typeof DURABLE_STATE_FORMAT;
  exchanges: ExchangeSpec[];
  queues: DurableQueue[];
  bindings: BindingSpec[];
}

export const DURABLE_STATE_FORMAT = 'ruleshift.in-memory-broker/v1';

export interface DurableQueue {
  spec: QueueSpec;
  /** In queue order. */
  messages: DurableMessage[];
}

export interface DurableMessage {
  /** Base64. */
  body: string;
  exchange: string;
  routingKey: string;
  headers: Headers;
  correlationId?: string;
  messageId?: string;
  contentType?: string;
  /** Epoch ms when its TTL runs out, if it has one. */
  expiresAt?: number;
  redelivered: boolean;
}

/** Where a hub keeps its vhosts' durable state between runs of the process. */
export interface InMemoryBrokerStateStore {
  /**
   * The state each vhost kept at the last clean stop. Reading leaves it in the store: the hub
   * discards it only once every vhost has it back, so a failed restore loses nothing.
   */
  read(): Promise<Map<string, DurableVhostState>>;
  /**
   * Removes what `read` returned for these vhosts: a run that ends in a crash must not bring
   * back messages this run already delivered.
   */
  discard(vhosts: Iterable<string>): Promise<void>;
  save(vhost: string, state: DurableVhostState): Promise<void>;
}
