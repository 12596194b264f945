// `npm run test:chaos`: faults injected into the suite's OWN RabbitMQ node, PostgreSQL cluster
// and Flink cluster (scripts/chaos/up.sh starts them, down.sh stops them), never into the
// machine's services that other runs share. The addresses below are read by
// test/integration/support/services.ts and the Flink scripts; scripts/chaos/common.sh has the
// same defaults.
const base = require('./jest.base');
const path = require('node:path');

const defaults = {
  IT_RABBITMQ_HOST: `127.0.0.1:${process.env.CHAOS_RABBITMQ_PORT ?? 5673}`,
  IT_RABBITMQ_NODE: process.env.CHAOS_RABBITMQ_NODE ?? 'ruleshift-chaos@localhost',
  IT_POSTGRES_URL: `postgres://postgres@127.0.0.1:${process.env.CHAOS_POSTGRES_PORT ?? 5433}`,
  FLINK_REST_PORT: process.env.CHAOS_FLINK_REST_PORT ?? '8281',
  FLINK_RPC_PORT: process.env.CHAOS_FLINK_RPC_PORT ?? '6323',
  FLINK_CACHE_DIR: process.env.CHAOS_FLINK_CACHE_DIR ?? path.join(__dirname, '.cache/flink-chaos'),
  // A TaskManager (re)started on a busy machine may take minutes to register.
  FLINK_UP_TIMEOUT_S: process.env.CHAOS_FLINK_UP_TIMEOUT_S ?? '300',
};
defaults.FLINK_REST_URL = `http://127.0.0.1:${defaults.FLINK_REST_PORT}`;
// The chaos instances, whatever the caller's shell points the integration tests at.
Object.assign(process.env, defaults);

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/chaos/**/*.chaos-spec.ts'],
  globalSetup: '<rootDir>/test/chaos/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/chaos/support/global-teardown.ts',
  testTimeout: 600000,
};
