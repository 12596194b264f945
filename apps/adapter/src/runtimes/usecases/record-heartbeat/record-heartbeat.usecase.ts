import { Inject, Injectable } from '@nestjs/common';
import type { AgentHeartbeat } from '@ruleshift/contracts';
import { Clock } from '../../../shared/clock';
import { JobRepository } from '../../../registry/job.repository';
import { RuntimeRepository } from '../../../registry/runtime.repository';
import { JobAccess } from '../../../rules/job-access';
import { RuntimeFigures } from '../../runtime-figures';

/**
 * An agent's heartbeat: registers (or refreshes) it as an edge runtime, keeps its load and
 * per-rule figures in memory for the read model and metrics, and marks jobs the agent reports
 * FAILED.
 */
@Injectable()
export class RecordHeartbeatUseCase {
  constructor(
    @Inject(RuntimeRepository) private readonly runtimes: RuntimeRepository,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(RuntimeFigures) private readonly figures: RuntimeFigures,
  ) {}

  async execute(heartbeat: AgentHeartbeat): Promise<void> {
    const now = this.clock.now();
    await this.runtimes.upsert({
      kind: 'edge',
      targetResource: heartbeat.agentId,
      health: 'UP',
      startedAt: new Date(heartbeat.startedAt),
      lastSeenAt: now,
      // Durable: what a standby adapter needs. The figures below change every beat.
      details: {
        version: heartbeat.version,
        refusedControlMessages: heartbeat.refusedControlMessages ?? 0,
        // cpuPercent and rssBytes are then the whole shared process's (npm start).
        ...(heartbeat.sharesProcess ? { sharesProcess: true } : {}),
      },
    });
    this.figures.recordAgent(heartbeat.agentId, {
      cpuPercent: heartbeat.cpuPercent,
      rssBytes: heartbeat.rssBytes,
      heapUsedBytes: heartbeat.heapUsedBytes,
      sentAt: heartbeat.sentAt,
      rules: heartbeat.rules,
      ...(heartbeat.sharesProcess ? { sharesProcess: true } : {}),
    });
    for (const rule of heartbeat.rules) {
      if (rule.status !== 'FAILED') continue;
      const job = await this.jobs.findById(rule.jobId);
      // Only the job's current placement speaks for it, and not while an operation runs.
      if (!job || job.runtime !== 'edge' || job.targetResource !== heartbeat.agentId) continue;
      if (job.status === 'FAILED' || job.status === 'UNINSTALLED' || job.operation) continue;
      const reason = rule.failureReason ?? 'the agent reported the rule FAILED';
      const failed = this.access.eventOf({ ...job, status: 'FAILED' }, 'failed', { reason });
      if (
        await this.jobs.updateIdle(
          job.id,
          { status: 'FAILED', failureReason: reason, updatedAt: now },
          [failed],
          this.access.historyOf(job, 'FAILED', reason),
        )
      ) {
        await this.access.publishCommitted();
      }
    }
  }
}
