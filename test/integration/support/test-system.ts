/**
 * The per-file setup of the system-level tests: a RuleshiftSystem on its own pair of vhosts and
 * an amqplib client on its edge vhost, stopped together, with every process's output printed
 * after a failed test.
 */
import type { SystemTarget } from '../../support/system-target';
import { AmqpTestClient } from './amqp';
import { RuleshiftSystem, TEST_ADMIN_TOKEN, type SystemOptions } from './system';

export interface TestSystem {
  system: RuleshiftSystem;
  /** Plain amqplib client on the system's edge vhost. */
  amqp: AmqpTestClient;
  stop(): Promise<void>;
}

export async function startTestSystem(
  options: Omit<SystemOptions, 'isolatedVhosts'>,
): Promise<TestSystem> {
  const system = await RuleshiftSystem.start({ ...options, isolatedVhosts: true });
  const amqp = await connectOrStop(system, () => system.stop());
  return {
    system,
    amqp,
    stop: async () => {
      await amqp.close();
      await system.stop();
    },
  };
}

/** Connects to the system's edge vhost (or `url`); a failure stops what was already started. */
export async function connectOrStop(
  system: RuleshiftSystem,
  stop: () => Promise<void>,
  url = system.edgeAmqpUrl,
): Promise<AmqpTestClient> {
  try {
    return await AmqpTestClient.connect(url);
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Registers an afterEach that prints the system's process output when a test failed. */
export function printLogsOnFailure(system: () => RuleshiftSystem | undefined): void {
  afterEach(() => {
    const state = expect.getState();
    if (state.assertionCalls !== state.numPassingAsserts) console.log(system()?.logs());
  });
}

/**
 * Proxy, adapter and `agents` as separate processes on their own vhosts and database, as a
 * target of the shared CLI and console scenarios (the flink runtime left off, as in npm start).
 */
export async function separateProcessesTarget(agents: string[]): Promise<SystemTarget> {
  const system = await RuleshiftSystem.start({
    agents,
    isolatedVhosts: true,
    extraEnv: { FLINK_REST_URL: '', AUTH_MAX_FAILURES: '1000' },
  });
  return {
    url: system.proxyUrl,
    adminToken: TEST_ADMIN_TOKEN,
    logs: () => system.logs(),
    close: () => system.stop(),
  };
}
