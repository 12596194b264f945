import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AgentHeartbeat } from '@ruleshift/contracts';
import { DriverRegistry } from '../../../drivers/driver-registry';
import { JobRepository } from '../../../registry/job.repository';
import { toDriverJob } from '../../../rules/job-access';

/**
 * An agent that reports a rule the registry places elsewhere (or has uninstalled) runs a stray
 * copy: typically an agent back from the dead whose rules were evacuated meanwhile, which
 * resumed them from its disk beside their new placement. The agent is told to uninstall it. A
 * rule an operation holds is left alone (a move or install in flight reports it legitimately);
 * a rule the registry does not know at all is left alone too (not this registry's to judge).
 */
@Injectable()
export class RetireStrayRulesUseCase {
  private readonly logger = new Logger(RetireStrayRulesUseCase.name);
  /** `agent/job` uninstalls under way: one heartbeat after another must not repeat them. */
  private readonly inFlight = new Set<string>();

  constructor(
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(DriverRegistry) private readonly drivers: DriverRegistry,
  ) {}

  /** Returns the ids of the jobs the agent was told to uninstall. */
  async execute(heartbeat: Pick<AgentHeartbeat, 'agentId' | 'rules'>): Promise<string[]> {
    const retired: string[] = [];
    for (const rule of heartbeat.rules) {
      const key = `${heartbeat.agentId}/${rule.jobId}`;
      if (this.inFlight.has(key)) continue;
      const job = await this.jobs.findById(rule.jobId);
      if (!job || job.operation !== null) continue;
      const placedHere =
        job.status !== 'UNINSTALLED' &&
        job.runtime === 'edge' &&
        job.targetResource === heartbeat.agentId;
      if (placedHere) continue;
      this.inFlight.add(key);
      try {
        await this.drivers
          .get('edge')
          .uninstall(toDriverJob(job, { runtime: 'edge', targetResource: heartbeat.agentId }));
        this.logger.warn(
          `agent ${heartbeat.agentId} ran job ${job.id}, placed on ${job.runtime}/${job.targetResource} ` +
            `(${job.status}): uninstalled there`,
        );
        retired.push(job.id);
      } catch (error) {
        this.logger.error(
          `stray job ${job.id} on agent ${heartbeat.agentId} not uninstalled: ${String(error)}`,
        );
      } finally {
        this.inFlight.delete(key);
      }
    }
    return retired;
  }
}
