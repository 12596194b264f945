import { getHeapStatistics } from 'node:v8';
import { resourceLimits } from 'node:worker_threads';
import type { RuleMetrics, RuleSnapshot } from '@ruleshift/contracts';
import type { RuleRunner } from '@ruleshift/engine';
import { errorReply } from '../../shared/reply-error';
import { HostedRunners } from '../hosted-runners';
import type { HostedRule } from '../rule-host';
import type { CulpritMarker } from './culprit-marker';
import type { HostMessage, HostRequest, PingResult } from './worker-protocol';

/** The worker's side of a port (parentPort), narrowed for tests. */
export interface HostPort {
  on(event: 'message', listener: (message: HostRequest) => void): void;
  postMessage(message: HostMessage): void;
}

/** Like RunnerFactory, plus the hook the rule must call before it handles each event. */
export type WorkerRunnerFactory = (
  rule: HostedRule,
  hooks: { onFailure(reason: string): void; markExecuting(): void },
) => Promise<RuleRunner>;

/**
 * Runs inside the rule-host worker: answers start/stop/ping from the main thread and keeps the
 * culprit marker up to date. Each rule keeps the index the main thread gave it.
 */
export class RuleHostServer {
  private readonly runners = new HostedRunners();

  constructor(
    private readonly port: HostPort,
    private readonly marker: CulpritMarker,
    private readonly createRunner: WorkerRunnerFactory,
  ) {}

  listen(): void {
    this.port.on('message', (request) => {
      void this.handle(request);
    });
    this.port.postMessage({ type: 'ready' });
  }

  private async handle(request: HostRequest): Promise<void> {
    try {
      const result = await this.dispatch(request);
      this.port.postMessage({ type: 'reply', requestId: request.requestId, ok: true, result });
    } catch (error) {
      const reply = errorReply(error);
      const body = reply.ok ? { code: 'INTERNAL', message: 'unknown' } : reply.error;
      this.port.postMessage({
        type: 'reply',
        requestId: request.requestId,
        ok: false,
        error: body,
      });
    }
  }

  private async dispatch(request: HostRequest): Promise<RuleSnapshot | PingResult | undefined> {
    switch (request.type) {
      case 'start':
        await this.start(request.index, request.rule, request.snapshot);
        return undefined;
      case 'stop':
        return this.stop(request.jobId);
      case 'ping':
        return { metrics: this.metrics(), heapUsedRatio: heapUsedRatio() };
    }
  }

  private async start(index: number, rule: HostedRule, snapshot?: RuleSnapshot): Promise<void> {
    const jobId = rule.config.jobId;
    await this.runners.start(
      jobId,
      async (onFailure) => {
        const runner = await this.createRunner(rule, {
          onFailure,
          markExecuting: () => this.marker.mark(index),
        });
        this.marker.mark(index);
        return runner;
      },
      (reason) => this.port.postMessage({ type: 'failure', jobId, reason }),
      snapshot ?? rule.installSnapshot,
    );
  }

  private async stop(jobId: string): Promise<RuleSnapshot> {
    const snapshot = await this.runners.stop(jobId);
    if (!snapshot) throw new Error(`rule ${jobId} is not running in the rule host`);
    return snapshot;
  }

  private metrics(): Record<string, RuleMetrics> {
    return this.runners.allMetrics();
  }
}

/** Against the old-generation limit the worker was started with (where V8 gives up), if any. */
function heapUsedRatio(): number {
  const heap = getHeapStatistics();
  const maxOldMb = resourceLimits.maxOldGenerationSizeMb;
  const limit = maxOldMb ? maxOldMb * 1024 * 1024 : heap.heap_size_limit;
  return heap.used_heap_size / limit;
}
