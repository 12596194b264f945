import { Inject, Injectable } from '@nestjs/common';
import type { AgentHeartbeat } from '@ruleshift/contracts';
import { Clock } from '../../../shared/clock';
import { JobRepository } from '../../../registry/job.repository';
import { RuntimeRepository } from '../../../registry/runtime.repository';
import { JobAccess } from '../../../rules/job-access';

/**
 * An agent's heartbeat: registers (or refreshes) it as an edge runtime, keeps its load and
 * per-rule figures for the read model, and marks jobs the agent reports FAILED.
 */
@Injectable()
export class RecordHeartbeatUseCase {
  constructor(
    @Inject(RuntimeRepository) private readonly runtimes: RuntimeRepository,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(heartbeat: AgentHeartbeat): Promise<void> {
    const now = this.clock.now();
    await this.runtimes.upsert({
      kind: 'edge',
      targetResource: heartbeat.agentId,
      health: 'UP',
      startedAt: new Date(heartbeat.startedAt),
      lastSeenAt: now,
      details: {
        version: heartbeat.version,
        cpuPercent: heartbeat.cpuPercent,
        rssBytes: heartbeat.rssBytes,
        heapUsedBytes: heartbeat.heapUsedBytes,
        sentAt: heartbeat.sentAt,
        rules: heartbeat.rules,
        refusedControlMessages: heartbeat.refusedControlMessages ?? 0,
      },
    });
    for (const rule of heartbeat.rules) {
      if (rule.status !== 'FAILED') continue;
      const job = await this.jobs.findById(rule.jobId);
      // Only the job's current placement speaks for it, and not while an operation runs.
      if (!job || job.runtime !== 'edge' || job.targetResource !== heartbeat.agentId) continue;
      if (job.status === 'FAILED' || job.status === 'UNINSTALLED' || job.operation) continue;
      const reason = rule.failureReason ?? 'the agent reported the rule FAILED';
      if (
        await this.jobs.updateIdle(job.id, {
          status: 'FAILED',
          failureReason: reason,
          updatedAt: now,
        })
      ) {
        await this.access.recordStatus(job, 'FAILED', reason);
        await this.access.announceFailure(job.id, undefined, reason);
      }
    }
  }
}
