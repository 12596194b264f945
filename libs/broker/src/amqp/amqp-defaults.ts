/** Messages in flight per consumer unless the connector says otherwise. */
export const DEFAULT_PREFETCH = 256;
/** AMQP heartbeat: a dead TCP peer is noticed within about two intervals. */
export const DEFAULT_HEARTBEAT_S = 10;
/** First reconnect delay; doubles per failed attempt up to MAX_RECONNECT_DELAY_MS. */
export const RECONNECT_DELAY_MS = 500;
export const MAX_RECONNECT_DELAY_MS = 10_000;
/** Prefix of the `connection_name` client property RabbitMQ shows for our connections. */
export const CONNECTION_NAME_PREFIX = 'ruleshift';

export interface BrokerLogger {
  warn(message: string): void;
}

export const consoleBrokerLogger: BrokerLogger = {
  warn: (message) => console.warn(message),
};

export const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
