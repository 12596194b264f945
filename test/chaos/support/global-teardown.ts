/** Stops the chaos suite's own services (scripts/chaos/down.sh) unless CHAOS_KEEP_SERVICES=1. */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export default function globalTeardown(): void {
  if (process.env.CHAOS_KEEP_SERVICES === '1') return;
  execFileSync('bash', [path.resolve(__dirname, '../../../scripts/chaos/down.sh')], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 300_000,
  });
}
