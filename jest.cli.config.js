// `npm run test:cli`: the built `ruleshift` CLI as a process against the embedded `npm start`
// (run `npm run build` first; the script does).
const base = require('./jest.base');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/cli/**/*.cli-spec.ts'],
  testTimeout: 120000,
};
