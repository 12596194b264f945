/**
 * The setup every spec that moves rules between the edge and Flink shares: a FlinkTestSystem
 * started before the file's tests and stopped after them (uninstalling the jobs the tests
 * recorded in `started`), process output printed after a failed test, and the API calls as
 * helpers that fail with the response body on anything but 200.
 */
import type { AmqpTestClient } from './amqp';
import { callApi, type FlinkTestSystem, startFlinkTestSystem } from './flink';
import type { JobInfo } from './flink-rules';
import type { RuleshiftSystem } from './system';
import { printLogsOnFailure } from './test-system';

/** The Flink cluster's name in the adapter (FLINK_REST_URL registers it as `flink`). */
export const FLINK_CLUSTER = 'flink';

export interface FlinkSuiteOptions {
  /** Agents besides the adapter; gw1 by default. */
  agents?: string[];
  extraEnv?: Record<string, string>;
  /** TaskManagers the cluster must have (started by scripts/flink/up.sh if fewer); 1. */
  taskManagers?: number;
}

export interface FlinkSuite {
  readonly system: RuleshiftSystem;
  /** amqplib on the system's edge vhost, for collectors. */
  readonly amqp: AmqpTestClient;
  /** A second edge client, so publishing never waits behind a collector's channel. */
  readonly producer: AmqpTestClient;
  /** amqplib on the system's core vhost. */
  readonly core: AmqpTestClient;
  /** Job ids uninstalled (and their Flink jobs cancelled) when the file ends. */
  readonly started: Set<string>;
  /** POST /api/<op>. */
  call(op: string, body: unknown): Promise<JobInfo>;
  /** POST /api/move, expecting the job RUNNING on the target afterwards. */
  move(
    jobInfo: JobInfo,
    target: 'edge' | 'flink',
    targetResource: string,
    extra?: { dropState?: boolean },
  ): Promise<JobInfo>;
}

/** Registers beforeAll/afterAll/afterEach for the calling spec file and returns its suite. */
export function useFlinkSuite(options: FlinkSuiteOptions = {}): FlinkSuite {
  let flink: FlinkTestSystem | undefined;
  const started = new Set<string>();
  const running = (): FlinkTestSystem => {
    if (!flink) throw new Error('the Flink test system did not start (see beforeAll)');
    return flink;
  };

  beforeAll(async () => {
    flink = await startFlinkTestSystem(
      started,
      options.extraEnv,
      options.agents,
      options.taskManagers,
    );
  }, 900_000);
  afterAll(() => flink?.stop());
  printLogsOnFailure(() => flink?.system);

  const call = (op: string, body: unknown): Promise<JobInfo> => callApi(running().system, op, body);
  return {
    get system() {
      return running().system;
    },
    get amqp() {
      return running().amqp;
    },
    get producer() {
      return running().producer;
    },
    get core() {
      return running().core;
    },
    started,
    call,
    async move(jobInfo, target, targetResource, extra = {}) {
      const moved = await call('move', {
        target_runtime: target,
        targetResource,
        jobInfo,
        ...extra,
      });
      expect(moved).toMatchObject({ runtime: target, jobStatus: 'RUNNING' });
      return moved;
    },
  };
}
