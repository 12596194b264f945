/** Addresses of the real services the integration tests use (overridable by env). */
export const RABBITMQ_HOST = process.env.IT_RABBITMQ_HOST ?? '127.0.0.1:5672';
/** Erlang node name for rabbitmqctl when the broker is not the machine's default node. */
export const RABBITMQ_NODE = process.env.IT_RABBITMQ_NODE;
export const amqpUrl = (vhost: string): string =>
  `amqp://guest:guest@${RABBITMQ_HOST}/${encodeURIComponent(vhost)}`;
export const EDGE_AMQP_URL = amqpUrl('edge');
export const CORE_AMQP_URL = amqpUrl('core');
export const POSTGRES_URL = process.env.IT_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
export const FLINK_REST_URL = process.env.FLINK_REST_URL ?? 'http://127.0.0.1:8081';
