// `npm test`: unit tests beside the code and the embedded end-to-end test; no external service.
const base = require('./jest.base');

module.exports = {
  ...base,
  testMatch: [
    '<rootDir>/apps/**/*.spec.ts',
    '<rootDir>/libs/**/*.spec.ts',
    '<rootDir>/templates/**/*.spec.ts',
    '<rootDir>/bench/**/*.spec.ts',
    '<rootDir>/test/e2e/**/*.e2e-spec.ts',
  ],
  testTimeout: 30000,
};
