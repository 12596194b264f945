/**
 * Test worker: the real RuleHostServer and culprit marker with fake runners. A rule whose
 * jobProps say `loop: true` blocks the worker's event loop on its first event, as an endless
 * loop in a template would; one with `allocate: true` keeps 1 MB more on every event, without
 * bound, as a template leaking state would.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { RuleMetrics, RuleSnapshot } from '@ruleshift/contracts';
import type { RuleRunner } from '@ruleshift/engine';
import { CulpritMarker } from '../culprit-marker';
import { RuleHostServer, type HostPort, type WorkerRunnerFactory } from '../rule-host-server';
import type { RuleHostWorkerData } from '../worker-protocol';

const data = workerData as RuleHostWorkerData;

const fakeRunners: WorkerRunnerFactory = (rule, hooks) => {
  const { jobId, jobType, templateVersion } = rule.config;
  let eventsIn = 0;
  let timer: NodeJS.Timeout | undefined;
  const hoard: number[][] = [];
  let status: RuleRunner['status'] = 'INSTALLED';
  const runner: RuleRunner = {
    jobId,
    get status() {
      return status;
    },
    start(snapshot?: RuleSnapshot) {
      eventsIn = (snapshot?.state as { eventsIn?: number } | undefined)?.eventsIn ?? 0;
      status = 'RUNNING';
      timer = setInterval(() => {
        hooks.markExecuting();
        if (rule.config.jobProps.loop === true) for (;;);
        if (rule.config.jobProps.allocate === true) hoard.push(new Array<number>(1 << 17).fill(1));
        eventsIn++;
      }, 10);
      return Promise.resolve();
    },
    stop() {
      clearInterval(timer);
      status = 'STOPPED';
      return Promise.resolve({
        format: 'ruleshift.snapshot/v1',
        jobId,
        jobType,
        templateVersion,
        takenAt: new Date().toISOString(),
        watermark: null,
        state: { eventsIn },
      });
    },
    metrics(): RuleMetrics {
      return { eventsIn, eventsOut: 0, deadLettered: {} };
    },
  };
  return Promise.resolve(runner);
};

new RuleHostServer(
  parentPort as unknown as HostPort,
  new CulpritMarker(data.culprit),
  fakeRunners,
).listen();
