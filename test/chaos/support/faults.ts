/**
 * The faults, always on the suite's own instances (scripts/chaos/*.sh; the Flink scripts get
 * the chaos cluster's FLINK_CACHE_DIR and ports from jest.chaos.config.js). Run asynchronously
 * so producers, collectors and API calls keep going while a service restarts.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../../..');
const script = (name: string): string => path.join(REPO, 'scripts', name);

async function bash(file: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('bash', [script(file), ...args], {
    timeout: 300_000,
    env: process.env,
  });
  return stdout.trim();
}

/** Stops the broker process (rabbitmqctl stop) and starts it again (rabbitmq-server -detached). */
export const restartRabbitmq = (): Promise<string> => bash('chaos/rabbitmq.sh', 'restart');

/** `pg_ctl restart -m fast`: every session is dropped and the server process replaced. */
export const restartPostgres = (): Promise<string> => bash('chaos/postgres.sh', 'restart');

/** `rabbitmqctl close_connection` on every connection the OS process `pid` holds. */
export async function closeBrokerConnectionsOf(pid: number): Promise<number> {
  return Number(await bash('chaos/rabbitmq.sh', 'close-connections-of', String(pid)));
}

/** SIGKILL of the chaos cluster's TaskManager (scripts/flink/taskmanager.sh). */
export const killTaskManager = (): Promise<string> => bash('flink/taskmanager.sh', 'kill');
export const startTaskManager = (): Promise<string> => bash('flink/taskmanager.sh', 'start');

/** OS pids of the processes consuming `queue` on the vhost of `amqpUrl`. */
export async function consumersOf(amqpUrl: string, queue: string): Promise<number[]> {
  const vhost = decodeURIComponent(new URL(amqpUrl).pathname.slice(1));
  const out = await bash('chaos/rabbitmq.sh', 'consumers-of', vhost, queue);
  return out ? out.split('\n').map(Number) : [];
}
