/**
 * The adapter process as an operator first starts it from the README: a DATABASE_URL naming a
 * database that does not exist ends it with exit 1 and a line saying to create it.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePorts } from './support/system';
import { amqpUrl, POSTGRES_URL } from './support/services';

const ADAPTER_MAIN = resolve(__dirname, '../../dist/apps/adapter/src/main.js');

describe('adapter boot errors (process)', () => {
  it('exits 1 naming a missing database and how to get one', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ruleshift-adapter-boot-'));
    try {
      const [port] = await freePorts(1);
      const child = spawn(process.execPath, [ADAPTER_MAIN], {
        env: {
          ...process.env,
          DATABASE_URL: `${POSTGRES_URL}/ruleshift_missing_${process.pid}`,
          // The registry fails before the adapter serves anything on them.
          EDGE_AMQP_URL: amqpUrl('edge'),
          CORE_AMQP_URL: amqpUrl('core'),
          RULESHIFT_DATA_DIR: dataDir,
          ADAPTER_HTTP_PORT: String(port),
          FLINK_REST_URL: '',
          NO_COLOR: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((done) => child.once('exit', done));
      expect(code).toBe(1);
      expect(output).toContain(
        `adapter failed to start: database "ruleshift_missing_${process.pid}" does not exist ` +
          '(create it first, e.g. createdb, or name another in DATABASE_URL)',
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
