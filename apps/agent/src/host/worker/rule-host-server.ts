import type { RuleMetrics, RuleSnapshot } from '@ruleshift/contracts';
import type { RuleRunner } from '@ruleshift/engine';
import { errorReply } from '../../shared/reply-error';
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
  private readonly runners = new Map<string, RuleRunner>();

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
        return { metrics: this.metrics() };
    }
  }

  private async start(index: number, rule: HostedRule, snapshot?: RuleSnapshot): Promise<void> {
    const jobId = rule.config.jobId;
    if (this.runners.has(jobId)) return;
    const runner = await this.createRunner(rule, {
      onFailure: (reason) => {
        if (this.runners.get(jobId) === runner) this.runners.delete(jobId);
        this.port.postMessage({ type: 'failure', jobId, reason });
      },
      markExecuting: () => this.marker.mark(index),
    });
    this.marker.mark(index);
    await runner.start(snapshot ?? rule.installSnapshot);
    this.runners.set(jobId, runner);
  }

  private async stop(jobId: string): Promise<RuleSnapshot> {
    const runner = this.runners.get(jobId);
    if (!runner) throw new Error(`rule ${jobId} is not running in the rule host`);
    try {
      return await runner.stop();
    } finally {
      this.runners.delete(jobId);
    }
  }

  private metrics(): Record<string, RuleMetrics> {
    const all: Record<string, RuleMetrics> = {};
    for (const [jobId, runner] of this.runners) all[jobId] = runner.metrics();
    return all;
  }
}
