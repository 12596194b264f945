/**
 * Integration tests run against the real services on this machine. This setup makes sure they
 * answer (starting them when possible) and creates the RabbitMQ vhosts `edge` and `core`.
 * A missing service fails the run: these tests are never skipped.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export default function globalSetup(): void {
  const script = path.resolve(__dirname, '../../../scripts/ci/ensure-services.sh');
  try {
    execFileSync('bash', [script], { stdio: 'inherit' });
  } catch (error) {
    throw new Error(
      `integration services are not available (RabbitMQ 127.0.0.1:5672, PostgreSQL 127.0.0.1:5432): ${String(error)}`,
    );
  }
}
