// `npm run test:console`: the built web console in the machine's Chromium (playwright-core)
// against the embedded `npm start` (run `npm run build` first; the script does).
const base = require('./jest.base');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/console/**/*.console-spec.ts'],
  testTimeout: 180000,
};
