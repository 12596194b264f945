import { Inject, Injectable } from '@nestjs/common';
import { ruleInputs } from '@ruleshift/broker';
import {
  RuleshiftError,
  RuntimeUnavailable,
  type InputConnector,
  type JobInfo,
  type JobStatus,
  type UninstallRequest,
} from '@ruleshift/contracts';
import { DriverRegistry } from '../../../drivers/driver-registry';
import type { JobEntity } from '../../../registry/entities/job.entity';
import { JobRepository } from '../../../registry/job.repository';
import { JobAccess, toDriverJob } from '../../job-access';
import { toJobInfo } from '../../job-mapper';
import { RuleTopology } from '../../rule-topology';

const UNINSTALLABLE: readonly JobStatus[] = ['INSTALLED', 'RUNNING', 'STOPPED', 'FAILED'];

/**
 * Removes the rule from its runtime, then what it owned on the brokers: its dead-letter queues
 * and its input queues, except those another live job reads or the caller keeps. A broker that
 * refuses answers 503 with the job as it was; the retry is safe (both steps are idempotent).
 */
@Injectable()
export class UninstallJobUseCase {
  constructor(
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(DriverRegistry) private readonly drivers: DriverRegistry,
    @Inject(RuleTopology) private readonly topology: RuleTopology,
    @Inject(JobRepository) private readonly jobs: JobRepository,
  ) {}

  async execute(request: UninstallRequest): Promise<JobInfo> {
    const job = await this.access.loadFor(request, '');
    this.access.requireStatus(job, UNINSTALLABLE, 'uninstall', '');
    const driver = this.drivers.get(job.runtime, 'runtime');
    const uninstalled = await this.access.hold(
      job,
      'uninstall',
      async () => {
        await driver.uninstall(toDriverJob(job));
        await this.removeQueues(job, request.keepInputQueue === true);
        await this.access.recordStatus(job, 'UNINSTALLED');
        return { status: 'UNINSTALLED' as const, snapshot: null };
      },
      '',
      'uninstalled',
    );
    return toJobInfo(uninstalled);
  }

  private async removeQueues(job: JobEntity, keepInputQueues: boolean): Promise<void> {
    const shared = new Set<InputConnector>();
    for (const input of ruleInputs(job.config)) {
      const readers = await this.jobs.findQueueReaders(input.endpoint, input.queue, job.id);
      if (readers.length > 0) shared.add(input);
    }
    try {
      // A partition queue goes with its input queue: kept when another job reads that input.
      const partitions = new Set(job.config.connectors.inputQueues ?? []);
      const base = (input: InputConnector): InputConnector =>
        partitions.has(input.queue) ? { ...input, queue: job.config.connectors.inputQueue } : input;
      await this.topology.remove(
        job.config,
        (input) => keepInputQueues || hasInput(shared, base(input)),
      );
    } catch (error) {
      if (error instanceof RuleshiftError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new RuntimeUnavailable('broker', `cannot delete the rule's queues: ${reason}`);
    }
  }
}

const hasInput = (inputs: Set<InputConnector>, input: InputConnector): boolean =>
  [...inputs].some((i) => i.endpoint === input.endpoint && i.queue === input.queue);
