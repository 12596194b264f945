export * from './broker-port';
export * from './broker-error';
export { Deque } from './deque';
export * from './json';
export {
  DEFAULT_QUEUE_LIMITS,
  InMemoryBroker,
  InMemoryBrokerSession,
} from './in-memory/in-memory-broker';
export type { InMemoryBrokerOptions } from './in-memory/in-memory-broker';
export { AmqpBrokerConnection } from './amqp/amqp-broker-connection';
export type { AmqpBrokerConnectionOptions } from './amqp/amqp-broker-connection';
export { ReconnectBackoff } from './amqp/reconnect-backoff';
export {
  DEFAULT_PREFETCH,
  DEFAULT_HEARTBEAT_S,
  RECONNECT_DELAY_MS,
  MAX_RECONNECT_DELAY_MS,
  CONNECTION_NAME_PREFIX,
  consoleBrokerLogger,
} from './amqp/amqp-defaults';
export type { BrokerLogger } from './amqp/amqp-defaults';
export { brokerConfigFromEnv } from './registry/broker-config';
export { allowedBrokerFor } from './registry/broker-allow-list';
export { brokerTlsFromEnv } from './registry/broker-tls';
export type { BrokerTls } from './registry/broker-tls';
export type { BrokerConfig, NamedBrokerTarget } from './registry/broker-config';
export { BrokerRegistryImpl } from './registry/broker-registry';
export type {
  AmqpConnectRequest,
  AmqpConnector,
  BrokerRegistryOptions,
} from './registry/broker-registry';
export { InMemoryBrokerHub, defaultInMemoryBrokerHub } from './registry/in-memory-hub';
export { FileBrokerStateStore } from './in-memory/file-broker-state-store';
export { parseEndpoint, redactUrl } from './registry/endpoint';
export type { AmqpAddress, ParsedEndpoint } from './registry/endpoint';
export { RpcClient } from './rpc/rpc-client';
export type { RpcClientOptions, RpcRequestOptions } from './rpc/rpc-client';
export {
  NO_REPLY,
  RpcServer,
  toErrorReply,
  DEFAULT_START_MARGIN_MS,
  DEFAULT_REPLY_MARGIN_MS,
} from './rpc/rpc-server';
export type { RpcErrorReply, RpcHandler, RpcServerStats, ServeOptions } from './rpc/rpc-server';
export { DEADLINE_HEADER, readDeadline } from './rpc/rpc-envelope';
export type { RpcRequestContext } from './rpc/rpc-envelope';
export {
  declareRuleTopology,
  deleteRuleTopology,
  deadLetterQueueFor,
  deadLetterQueueSpec,
  DEAD_LETTER_OVERFLOW_EXCHANGE,
  DEAD_LETTER_OVERFLOW_QUEUE,
  deadLetterOverflowTopology,
  ruleEndpoints,
  ruleInputQueues,
  ruleInputs,
  partitionExchangeFor,
  partitionQueuesFor,
} from './rule-topology';
export { createBrokerRegistry } from './create-broker-registry';
