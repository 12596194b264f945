/**
 * Starts the chaos suite's own RabbitMQ node, PostgreSQL cluster and Flink cluster
 * (scripts/chaos/up.sh) and builds the Flink template jar. `CHAOS_KEEP_SERVICES=1` reuses
 * services that already run (for a quick re-run of one scenario while developing).
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');

export default function globalSetup(): void {
  const script = process.env.CHAOS_KEEP_SERVICES === '1' ? 'ensure.sh' : 'up.sh';
  execFileSync('bash', [path.join(REPO, 'scripts/chaos', script)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 600_000,
  });
  execFileSync('bash', [path.join(REPO, 'scripts/flink/build-jobs.sh')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 600_000,
  });
}
