import type { RuleMetrics, RuleSnapshot } from '@ruleshift/contracts';
import type { RuleRunner } from '@ruleshift/engine';
import { snapshotOf } from '../testing/fakes';
import { HostedRunners } from './hosted-runners';

/** A runner that logs its calls; a failed one releases its consumers when the test says so. */
class ScriptedRunner implements RuleRunner {
  status: RuleRunner['status'] = 'INSTALLED';
  private releaseDone?: () => void;
  private readonly released: Promise<void>;

  constructor(
    readonly jobId: string,
    private readonly name: string,
    private readonly log: string[],
    readonly fail: (reason: string) => void,
  ) {
    this.released = new Promise((resolve) => (this.releaseDone = resolve));
  }

  start(): Promise<void> {
    this.log.push(`${this.name} subscribes`);
    this.status = 'RUNNING';
    return Promise.resolve();
  }

  async stop(): Promise<RuleSnapshot> {
    if (this.status === 'FAILED') {
      await this.released;
      this.log.push(`${this.name} released`);
    } else this.status = 'STOPPED';
    return snapshotOf(this.jobId, 0);
  }

  finishRelease(): void {
    this.releaseDone?.();
  }

  metrics(): RuleMetrics {
    return { eventsIn: 0, eventsOut: 0, deadLettered: {} };
  }
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('HostedRunners', () => {
  function setup() {
    const log: string[] = [];
    const failures: string[] = [];
    const created: ScriptedRunner[] = [];
    const runners = new HostedRunners();
    const start = (jobId = 'job-1') =>
      runners.start(
        jobId,
        (onFailure) => {
          const runner = new ScriptedRunner(jobId, `runner ${created.length + 1}`, log, (r) => {
            runner.status = 'FAILED';
            onFailure(r);
          });
          created.push(runner);
          return Promise.resolve(runner);
        },
        (reason) => failures.push(reason),
      );
    return { log, failures, created, runners, start };
  }

  it('a failed rule is not running, and its restart subscribes only after the failed one released its deliveries', async () => {
    const { log, failures, created, runners, start } = setup();
    await start();
    created[0].fail('publish refused');
    expect(failures).toEqual(['publish refused']);
    expect(runners.isRunning('job-1')).toBe(false);

    const restarted = start();
    await flush();
    expect(log).toEqual(['runner 1 subscribes']); // no second consumer while the first holds any
    created[0].finishRelease();
    await restarted;
    expect(log).toEqual(['runner 1 subscribes', 'runner 1 released', 'runner 2 subscribes']);
    expect(runners.isRunning('job-1')).toBe(true);
  });

  it('stop of a failed rule releases it and reports it as not running', async () => {
    const { log, created, runners, start } = setup();
    await start();
    created[0].fail('broker gone');
    created[0].finishRelease();
    expect(await runners.stop('job-1')).toBeUndefined();
    expect(log).toEqual(['runner 1 subscribes', 'runner 1 released']);
  });

  it('a rule that fails while it starts is kept as failed, not as running', async () => {
    const { created, runners } = setup();
    await runners.start(
      'job-1',
      (onFailure) => {
        const runner = new ScriptedRunner('job-1', 'runner 1', [], (r) => {
          runner.status = 'FAILED';
          onFailure(r);
        });
        runner.start = () => {
          runner.fail('refused during start');
          return Promise.resolve();
        };
        created.push(runner);
        return Promise.resolve(runner);
      },
      () => undefined,
    );
    expect(runners.isRunning('job-1')).toBe(false);
  });
});
