/**
 * One chaos scenario's world: proxy, adapter(s) and agents as separate processes (the
 * integration harness's RuleshiftSystem) on the suite's own RabbitMQ, PostgreSQL and Flink, a
 * producer with confirms on the edge vhost, and rules whose outputs are counted by id.
 * finish() closes the windows, waits for a sentinel behind every output, and judges.
 */
import { appendFileSync } from 'node:fs';
import {
  buildFlinkJobs,
  ensureFlinkCluster,
  FLINK_SYSTEM_ENV,
} from '../../integration/support/flink';
import {
  type JobDetails,
  type JobInfo,
  jobDetails,
  jobInfoOf,
  uninstallAll,
  windowCountInstallation,
} from '../../integration/support/flink-rules';
import {
  filterInstallation,
  type NamedConnectors,
  uniqueConnectors,
} from '../../integration/support/rules';
import {
  RuleshiftSystem,
  sleep,
  type SystemOptions,
  waitUntil,
} from '../../integration/support/system';
import {
  type ChaosEvent,
  chaosEvent,
  filterExpectation,
  trailerEvent,
  WINDOW_SIZE_MS,
  windowCountExpectation,
  windowKey,
} from './events';
import { ChaosProducer, OutputCollector, PacedStream, type Target } from './traffic';
import { combine, judge, lineOf, type Verdict } from './verdict';

export type RuleKind = 'filter' | 'window';

export interface RuleSpec {
  name: string;
  kind: RuleKind;
  runtime: 'edge' | 'flink';
  target: string;
}

export class ChaosRule {
  constructor(
    readonly spec: RuleSpec,
    readonly connectors: NamedConnectors,
    public job: JobInfo,
    readonly collector: OutputCollector,
  ) {}

  get input(): Target {
    return { exchange: this.connectors.inputExchange, routingKey: this.connectors.inputRoutingKey };
  }

  expectation(events: ChaosEvent[]): Map<string, number> {
    return this.spec.kind === 'filter' ? filterExpectation(events) : windowCountExpectation(events);
  }
}

export interface ChaosOptions extends Omit<SystemOptions, 'isolatedVhosts'> {
  flink?: boolean;
}

const windowStartOf = (ts: number): number => Math.floor(ts / WINDOW_SIZE_MS) * WINDOW_SIZE_MS;

export class ChaosRun {
  readonly rules: ChaosRule[] = [];
  readonly events: ChaosEvent[] = [];
  private readonly t0 = windowStartOf(Date.UTC(2026, 0, 1));
  private seq = 0;

  private constructor(
    readonly name: string,
    readonly system: RuleshiftSystem,
    readonly producer: ChaosProducer,
  ) {}

  static async start(name: string, options: ChaosOptions): Promise<ChaosRun> {
    const extraEnv = { ...(options.extraEnv ?? {}) };
    if (options.flink) {
      await ensureFlinkCluster();
      buildFlinkJobs();
      Object.assign(extraEnv, FLINK_SYSTEM_ENV);
    }
    const system = await RuleshiftSystem.start({
      bootTimeoutMs: 240_000,
      ...options,
      extraEnv,
      isolatedVhosts: true,
    });
    return new ChaosRun(name, system, new ChaosProducer(system.edgeAmqpUrl));
  }

  /** Installs and starts a rule, with a collector on its output exchange. */
  async addRule(spec: RuleSpec): Promise<ChaosRule> {
    const connectors = uniqueConnectors(`chaos-${spec.name}`);
    const installation =
      spec.kind === 'filter'
        ? filterInstallation(spec.target, connectors, spec.runtime)
        : windowCountInstallation(spec.runtime, spec.target, connectors);
    const collector = await OutputCollector.start(
      this.system.edgeAmqpUrl,
      { exchange: connectors.outputExchange, routingKey: connectors.outputRoutingKey },
      `${connectors.outputExchange}.chaos-collector`,
      spec.kind === 'filter'
        ? (body) => ({ key: String(body.id), value: 1 })
        : (body) => ({
            key: windowKey(String(body.key), Number(body.windowStart)),
            value: Number(body.count),
          }),
    );
    const installed = await this.call('install', installation);
    const rule = new ChaosRule(spec, connectors, installed, collector);
    this.rules.push(rule);
    rule.job = await this.call('start', installed);
    return rule;
  }

  /** The next `count` events of this run's stream. */
  nextEvents(count: number): ChaosEvent[] {
    const events = Array.from({ length: count }, () => chaosEvent(this.name, this.seq++, this.t0));
    this.events.push(...events);
    return events;
  }

  /** Publishes the next `count` events to the given rules (all by default), paced. */
  stream(count: number, rules: ChaosRule[] = this.rules, batch = 50, everyMs = 100): PacedStream {
    return new PacedStream(
      this.producer,
      rules.map((r) => r.input),
      this.nextEvents(count),
      batch,
      everyMs,
    );
  }

  async call(op: string, body: unknown): Promise<JobInfo> {
    let response = await this.system.api<JobInfo>('POST', `/api/${op}`, body);
    const statuses = [response.status];
    // A 503 means "never started": a caller may try again (a loaded machine's Flink answers
    // late). A retry refused because the operation took effect after all shows the 503 lied.
    for (let retry = 0; response.status === 503 && retry < 3; retry++) {
      await sleep(5_000);
      response = await this.system.api<JobInfo>('POST', `/api/${op}`, body);
      statuses.push(response.status);
    }
    const jobId = jobIdOf(body);
    if (response.status === 202 && jobId) {
      // Pending past the proxy's deadline: the job stays held until the operation ends, with
      // its normal outcome (the answer rule in docs/decisions.md).
      const ended = await waitUntil(
        `${op} of job ${jobId} to end`,
        async () => {
          const details = await jobDetails(this.system, jobId);
          return details.pendingOperation ? undefined : details;
        },
        300_000,
        500,
      );
      return jobInfoOf(ended);
    }
    if (response.status !== 200) {
      throw new Error(
        `/api/${op} -> ${statuses.join(', then ')}: ${JSON.stringify(response.body)}`,
      );
    }
    return response.body;
  }

  async details(rule: ChaosRule): Promise<JobDetails> {
    return jobDetails(this.system, rule.job.jobId);
  }

  async waitForStatus(rule: ChaosRule, status: string, timeoutMs = 120_000): Promise<JobDetails> {
    return waitUntil(
      `job ${rule.spec.name} ${status}`,
      async () => {
        const details = await this.details(rule);
        return details.jobStatus === status ? details : undefined;
      },
      timeoutMs,
      500,
    );
  }

  /**
   * Closes every window (a trailer event far ahead in event time), waits for every expected
   * output, then for a sentinel output published after everything else, and judges each rule.
   * Prints the scenario's line (and one per rule below it).
   */
  async finish(rules: ChaosRule[] = this.rules, waitMs = 240_000): Promise<Verdict> {
    const trailer = trailerEvent(this.name, this.events, this.t0);
    const hotTrailer = { ...trailer, temperature: 99 };
    const sentinel = {
      ...hotTrailer,
      id: `${this.name}-sentinel`,
      device: 'sentinel',
      ts: trailer.ts + 10 * WINDOW_SIZE_MS,
    };
    const targets = rules.map((r) => r.input);
    await this.producer.publish(targets, [hotTrailer]);
    const deadline = Date.now() + waitMs;
    for (const rule of rules) {
      const expectation = rule.expectation(this.events);
      await waitUntil(
        `every output of ${rule.spec.name}`,
        async () => [...expectation.keys()].every((key) => rule.collector.has(key)),
        Math.max(1_000, deadline - Date.now()),
        500,
      ).catch(() => undefined);
    }
    await this.producer.publish(targets, [sentinel]);
    for (const rule of rules) {
      const key =
        rule.spec.kind === 'filter' ? sentinel.id : windowKey('trailer', windowStartOf(trailer.ts));
      await rule.collector
        .waitFor(key, Math.max(30_000, deadline - Date.now()))
        .catch(() => undefined);
    }
    const ignored = (key: string): boolean =>
      key.startsWith(`${this.name}-trailer`) ||
      key.startsWith(`${this.name}-sentinel`) ||
      key.startsWith('trailer@') ||
      key.startsWith('sentinel@');
    const perRule = rules.map((rule) =>
      judge(
        `${this.name}/${rule.spec.name}`,
        this.sentCount(),
        rule.expectation(this.events),
        rule.collector.outputs,
        ignored,
      ),
    );
    const verdict = combine(this.name, perRule);
    report(verdict, perRule, this.producer.resent);
    return verdict;
  }

  async stop(): Promise<void> {
    await uninstallAll(
      this.system,
      this.rules.map((r) => r.job.jobId),
    ).catch(() => undefined);
    for (const rule of this.rules) await rule.collector.close();
    await this.producer.close();
    await this.system.stop();
  }

  /** Runs a scenario's body; on failure prints every process's output, then rethrows. */
  async guard(body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      process.stdout.write(`chaos ${this.name} failed; process output:\n${this.system.logs()}\n`);
      throw error;
    }
  }

  /** Events of the stream (trailer and sentinel aside) the broker confirmed, to each rule. */
  private sentCount(): number {
    const ids = new Set(this.events.map((e) => e.id));
    return this.producer.sent.filter((e) => ids.has(e.id)).length;
  }

  jobInfo(rule: ChaosRule): JobInfo {
    return jobInfoOf(rule.job);
  }
}

/** The job a start/stop/uninstall (jobInfo) or move (its jobInfo) request names. */
function jobIdOf(body: unknown): string | undefined {
  const request = body as { jobId?: unknown; jobInfo?: { jobId?: unknown } } | null;
  const jobId = request?.jobId ?? request?.jobInfo?.jobId;
  return typeof jobId === 'string' ? jobId : undefined;
}

function report(verdict: Verdict, perRule: Verdict[], resent: number): void {
  const lines = [
    lineOf(verdict),
    ...perRule.map(
      (v) =>
        `  ${lineOf(v)}${v.unexpected ? `, unexpected ${v.unexpected}` : ''}` +
        (v.duplicate
          ? `, duplicates without a shared message id ${v.duplicateWithoutSharedId}`
          : ''),
    ),
  ];
  if (resent) lines.push(`  producer re-sent ${resent} unconfirmed publishes`);
  if (verdict.missingKeys.length) {
    lines.push(`  missing: ${verdict.missingKeys.slice(0, 20).join(', ')}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  if (process.env.CHAOS_RESULTS_FILE) {
    appendFileSync(process.env.CHAOS_RESULTS_FILE, `${lines.join('\n')}\n`);
  }
}

/** The suite's pass condition for a scenario: nothing missing, no input counted twice. */
export function expectExact(verdict: Verdict): void {
  expect({
    missing: verdict.missing,
    aggregateDuplicates: verdict.aggregateDuplicates,
    unexpected: verdict.unexpected,
  }).toEqual({ missing: 0, aggregateDuplicates: 0, unexpected: 0 });
}
