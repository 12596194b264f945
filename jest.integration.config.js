// `npm run test:integration`: against the real RabbitMQ, PostgreSQL (and Flink) on this machine.
const base = require('./jest.base');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
  globalSetup: '<rootDir>/test/integration/support/global-setup.ts',
  testTimeout: 180000,
};
