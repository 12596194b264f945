// `npm run test:fuzz`: the hostile-client fuzz test (10,000 requests) against embedded `npm start`.
const base = require('./jest.base');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/fuzz/**/*.fuzz-spec.ts'],
  // About 30 s on an idle machine; the bound is for a loaded CI runner.
  testTimeout: 900000,
};
