import * as path from 'node:path';

/** rule-host-worker.js when built, rule-host-worker.ts when running from sources (tests). */
export function ruleHostWorkerEntry(): string {
  return path.join(__dirname, `rule-host-worker${path.extname(__filename) || '.js'}`);
}
