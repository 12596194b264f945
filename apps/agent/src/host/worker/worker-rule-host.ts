import type { RuleMetrics, RuleSnapshot } from '@ruleshift/contracts';
import { NotFound, RuntimeUnavailable } from '@ruleshift/contracts';
import type { AgentLogger } from '../../shared/logger';
import { describeError } from '../../shared/reply-error';
import type { CheckpointStorePort } from '../../store/file-checkpoint-store';
import type { HostedRule, RuleFailureListener, RuleHost } from '../rule-host';
import { CulpritMarker } from './culprit-marker';
import type { WorkerLike } from './worker-like';
import type { HostMessage, HostRequest, PingResult } from './worker-protocol';

export interface WatchdogOptions {
  /** How often the main thread pings the host (each pong also carries metrics). */
  pingIntervalMs: number;
  /** A ping unanswered this long means a rule blocks the host's event loop. */
  timeoutMs: number;
}

/**
 * Near its heap limit V8 collects garbage almost without pause, so a host that stops answering
 * pings this full is running out of heap rather than looping.
 */
const HEAP_NEARLY_FULL = 0.75;

export const DEFAULT_WATCHDOG: WatchdogOptions = { pingIntervalMs: 1000, timeoutMs: 3000 };

export interface WorkerRuleHostOptions {
  /** Spawns a fresh host worker sharing `culprit` with this thread. */
  spawn: (culprit: SharedArrayBuffer) => WorkerLike;
  /** Where restarted rules resume from (their last checkpoint). */
  checkpoints: CheckpointStorePort;
  logger: AgentLogger;
  watchdog?: WatchdogOptions;
  /** The heap limit `spawn` gives the worker (`resourceLimits`), named in failure reasons. */
  maxHeapMb?: number;
  now?: () => number;
}

/** Why a host worker is replaced: it stopped answering, or V8 ended it at its heap limit. */
type RecoveryCause = { kind: 'blocked' | 'out-of-memory' | 'exited'; detail: string };

interface Slot {
  index: number;
  rule: HostedRule;
}

type RequestBody = HostRequest extends infer R
  ? R extends HostRequest
    ? Omit<R, 'requestId'>
    : never
  : never;

/**
 * Runs every rule in ONE shared worker thread (memory: 100 rules, one isolate) and watches it.
 * When the worker stops answering pings, it is terminated; the rule whose index the worker
 * left in shared memory is marked FAILED, and a new worker resumes the other rules from their
 * checkpoints. Their unacked messages are redelivered by RabbitMQ (at-least-once).
 */
export class WorkerRuleHost implements RuleHost {
  readonly kind = 'worker' as const;
  private readonly culprit = CulpritMarker.allocate();
  private readonly marker = new CulpritMarker(this.culprit);
  private readonly watchdog: WatchdogOptions;
  private readonly now: () => number;
  private readonly slots = new Map<string, Slot>();
  private readonly running = new Set<string>();
  private readonly metricsCache = new Map<string, RuleMetrics>();
  private readonly listeners: RuleFailureListener[] = [];
  private readonly pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void }
  >();
  private worker: WorkerLike | undefined;
  private generation = 0;
  private ready: Promise<void> = Promise.resolve();
  private isReady = false;
  private recovering: Promise<void> = Promise.resolve();
  private nextIndex = 0;
  private nextRequestId = 1;
  private outstandingPing: { requestId: number; sentAt: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private inRecovery = false;
  private outOfMemory = false;
  /** From the last answered ping: a host that stops answering this full is thrashing in GC. */
  private heapUsedRatio = 0;

  constructor(private readonly options: WorkerRuleHostOptions) {
    this.watchdog = options.watchdog ?? DEFAULT_WATCHDOG;
    this.now = options.now ?? Date.now;
    this.spawnWorker();
    this.timer = setInterval(() => this.tick(), this.watchdog.pingIntervalMs);
    this.timer.unref();
  }

  async start(rule: HostedRule, snapshot?: RuleSnapshot): Promise<void> {
    await this.recovering;
    const jobId = rule.config.jobId;
    if (this.running.has(jobId)) return;
    const slot: Slot = { index: this.nextIndex++, rule };
    this.slots.set(jobId, slot);
    try {
      await this.ready;
      await this.request({ type: 'start', index: slot.index, rule, snapshot });
      this.running.add(jobId);
    } catch (error) {
      if (!this.running.has(jobId) && this.slots.get(jobId) === slot) this.slots.delete(jobId);
      throw error;
    }
  }

  async stop(jobId: string): Promise<RuleSnapshot> {
    await this.recovering;
    if (!this.running.has(jobId)) {
      throw new NotFound('jobId', `rule ${jobId} is not running on this agent`);
    }
    try {
      return (await this.request({ type: 'stop', jobId })) as RuleSnapshot;
    } finally {
      this.forget(jobId);
    }
  }

  isRunning(jobId: string): boolean {
    return this.running.has(jobId);
  }

  metrics(jobId: string): RuleMetrics | undefined {
    return this.running.has(jobId) ? this.metricsCache.get(jobId) : undefined;
  }

  onFailure(listener: RuleFailureListener): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.generation++;
    this.rejectPending(new RuntimeUnavailable('ruleHost', 'rule host closed'));
    const worker = this.worker;
    this.worker = undefined;
    this.running.clear();
    this.slots.clear();
    if (worker) await worker.terminate();
  }

  kill(): Promise<void> {
    return this.close();
  }

  private spawnWorker(): void {
    const generation = ++this.generation;
    this.marker.reset();
    this.isReady = false;
    this.outstandingPing = undefined;
    this.outOfMemory = false;
    this.heapUsedRatio = 0;
    const worker = this.options.spawn(this.culprit);
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message) => {
        if (generation !== this.generation) return;
        if (message.type === 'ready') {
          this.isReady = true;
          resolve();
        }
        this.onMessage(message);
      });
      worker.on('error', (error) => {
        if (generation !== this.generation) return;
        // Node ends a worker that reaches resourceLimits with this code, then emits 'exit'.
        if ((error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
          this.outOfMemory = true;
        }
        this.options.logger.warn('rule-host.error', { error: error.message });
      });
      worker.on('exit', (code) => {
        if (generation !== this.generation || this.closed) return;
        reject(new RuntimeUnavailable('ruleHost', `rule host exited with code ${code}`));
        this.beginRecovery(
          this.outOfMemory
            ? { kind: 'out-of-memory', detail: 'rule host reached its heap limit' }
            : { kind: 'exited', detail: `rule host exited unexpectedly (code ${code})` },
        );
      });
    });
    this.ready.catch(() => undefined);
  }

  private onMessage(message: HostMessage): void {
    switch (message.type) {
      case 'ready':
        return;
      case 'failure':
        this.forget(message.jobId);
        this.emitFailure(message.jobId, message.reason);
        return;
      case 'reply': {
        const waiter = this.pending.get(message.requestId);
        if (!waiter) return;
        this.pending.delete(message.requestId);
        if (message.ok) waiter.resolve(message.result);
        else waiter.reject(Object.assign(new Error(message.error.message), message.error));
        return;
      }
    }
  }

  private request(body: RequestBody): Promise<unknown> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new RuntimeUnavailable('ruleHost', 'rule host closed'));
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      worker.postMessage({ ...body, requestId });
    });
  }

  private tick(): void {
    if (!this.isReady || this.closed) return;
    const ping = this.outstandingPing;
    if (ping) {
      if (this.now() - ping.sentAt >= this.watchdog.timeoutMs) {
        const silent = `rule host did not answer for ${this.watchdog.timeoutMs} ms`;
        this.beginRecovery(
          this.heapUsedRatio >= HEAP_NEARLY_FULL
            ? { kind: 'out-of-memory', detail: `${silent} with its heap nearly full` }
            : { kind: 'blocked', detail: silent },
        );
      }
      return;
    }
    const requestId = this.nextRequestId;
    this.outstandingPing = { requestId, sentAt: this.now() };
    this.request({ type: 'ping' }).then(
      (result) => {
        if (this.outstandingPing?.requestId === requestId) this.outstandingPing = undefined;
        this.heapUsedRatio = (result as PingResult).heapUsedRatio;
        for (const [jobId, metrics] of Object.entries((result as PingResult).metrics)) {
          this.metricsCache.set(jobId, metrics);
        }
      },
      () => undefined,
    );
  }

  private beginRecovery(cause: RecoveryCause): void {
    if (this.inRecovery || this.closed) return;
    this.inRecovery = true;
    this.isReady = false;
    this.recovering = this.recover(cause)
      .catch((error: unknown) => {
        this.options.logger.warn('rule-host.recovery-failed', { error: describeError(error) });
      })
      .finally(() => {
        this.inRecovery = false;
      });
  }

  private async recover(cause: RecoveryCause): Promise<void> {
    // Read the culprit before terminate: the stuck worker wrote it before it blocked.
    const culpritIndex = this.marker.current();
    const culprit = [...this.slots.entries()].find(([, slot]) => slot.index === culpritIndex)?.[0];
    const old = this.worker;
    this.generation++;
    this.worker = undefined;
    this.rejectPending(new RuntimeUnavailable('ruleHost', `rule host restarted: ${cause.detail}`));
    if (old) await old.terminate().catch(() => 0);
    this.options.logger.warn('rule-host.restart', {
      cause: cause.detail,
      culprit: culprit ?? null,
    });
    if (culprit) {
      this.forget(culprit);
      this.emitFailure(culprit, this.failureReason(cause));
    }
    const survivors = [...this.slots.entries()].filter(([jobId]) => this.running.has(jobId));
    this.slots.clear();
    this.running.clear();
    if (this.closed) return;
    this.spawnWorker();
    await this.ready;
    for (const [jobId, slot] of survivors) {
      this.slots.set(jobId, slot);
      try {
        const snapshot = (await this.options.checkpoints.load(jobId)) ?? slot.rule.installSnapshot;
        await this.request({ type: 'start', index: slot.index, rule: slot.rule, snapshot });
        this.running.add(jobId);
      } catch (error) {
        this.slots.delete(jobId);
        this.emitFailure(
          jobId,
          `could not restart after a rule host restart: ${describeError(error)}`,
        );
      }
    }
  }

  private failureReason(cause: RecoveryCause): string {
    const after = 'it was stopped and the other rules restarted';
    switch (cause.kind) {
      case 'blocked':
        return `rule blocked the rule host for more than ${this.watchdog.timeoutMs} ms (endless loop?); ${after}`;
      case 'out-of-memory': {
        const limit = this.options.maxHeapMb ? ` of ${this.options.maxHeapMb} MB` : '';
        return `rule exhausted the rule host's heap limit${limit} (AGENT_WORKER_MAX_HEAP_MB); ${after}`;
      }
      case 'exited':
        return `rule was running when the rule host exited (${cause.detail}); ${after}`;
    }
  }

  private forget(jobId: string): void {
    this.slots.delete(jobId);
    this.running.delete(jobId);
    this.metricsCache.delete(jobId);
  }

  private emitFailure(jobId: string, reason: string): void {
    for (const listener of this.listeners) listener(jobId, reason);
  }

  private rejectPending(error: Error): void {
    const waiters = [...this.pending.values()];
    this.pending.clear();
    for (const waiter of waiters) waiter.reject(error);
  }
}
