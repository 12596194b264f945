import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DEAD_LETTER_EXCHANGE,
  configFileNameFor,
  type InstallationObject,
  type JobInfo,
  type RuleConfig,
} from '@ruleshift/contracts';
import { BrokerError } from '@ruleshift/broker';
import { Clock } from '../../../shared/clock';
import { DriverRegistry } from '../../../drivers/driver-registry';
import type { JobEntity } from '../../../registry/entities/job.entity';
import { requireStorableConfig } from '../../../registry/stored-field-limits';
import { RegistryRetry } from '../../../registry/registry-retry';
import { JobRepository } from '../../../registry/job.repository';
import { PlacementRepository } from '../../../placement/persistence/placement.repository';
import { InstallationCheck } from '../../installation-check';
import { JobAccess, messageOf, toDriverJob } from '../../job-access';
import { toJobInfo } from '../../job-mapper';
import { RuleTopology } from '../../rule-topology';
import { brokerRefusalToError } from './broker-refusal';
import { partitionedInput } from './partitioned-input';

/**
 * Installs a rule. The job row is written first, held by `install`, so the attempt is on
 * record; if a broker or the runtime refuses, the row ends UNINSTALLED with the reason, is
 * released whatever else fails, and nothing stays installed anywhere.
 */
@Injectable()
export class InstallJobUseCase {
  private readonly logger = new Logger(InstallJobUseCase.name);

  constructor(
    @Inject(InstallationCheck) private readonly check: InstallationCheck,
    @Inject(DriverRegistry) private readonly drivers: DriverRegistry,
    @Inject(RuleTopology) private readonly topology: RuleTopology,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(RegistryRetry) private readonly retry: RegistryRetry,
    @Inject(PlacementRepository) private readonly placements: PlacementRepository,
  ) {}

  async execute(request: InstallationObject): Promise<JobInfo> {
    const { runtime, targetResource, jobType } = request.headers;
    const { template, jobProps, placement } = await this.check.check(request);
    const driver = this.drivers.get(runtime);

    const jobId = randomUUID();
    const config: RuleConfig = {
      jobId,
      jobType,
      templateVersion: template.version,
      jobProps,
      deadLetterExchange: DEAD_LETTER_EXCHANGE,
      deadLetterQueue: this.topology.deadLetterQueue,
      ...partitionedInput(request),
    };
    requireStorableConfig(config);
    const now = this.clock.now();
    const job: JobEntity = {
      id: jobId,
      jobType,
      templateVersion: template.version,
      runtime,
      targetResource,
      status: 'UNINSTALLED',
      config,
      configFileName: configFileNameFor(jobId),
      failureReason: null,
      operation: 'install',
      operationOwner: null,
      snapshot: null,
      version: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.jobs.insert(job);
    if (placement) await this.placements.save(jobId, placement, now);

    try {
      await this.topology.declare(config);
      await driver.install(toDriverJob(job), config);
    } catch (err) {
      const failure = err instanceof BrokerError ? brokerRefusalToError(err) : err;
      await this.rollBack(job, failure);
      throw failure;
    }

    // Installed on the runtime: record it through a registry outage rather than answer 503.
    await this.access.recordStatus(job, 'INSTALLED');
    const installed = this.access.eventOf({ ...job, status: 'INSTALLED' }, 'installed');
    await this.retry.run(`install of job ${jobId}`, () =>
      this.jobs.release(jobId, 'install', { status: 'INSTALLED', updatedAt: this.clock.now() }, [
        installed,
      ]),
    );
    await this.access.publishCommitted();
    return toJobInfo(await this.access.reload(jobId));
  }

  /** Undoes a failed install; the job is released even when the cleanup itself fails. */
  private async rollBack(job: JobEntity, failure: unknown): Promise<void> {
    const reason = `install failed: ${failure instanceof Error ? failure.message : String(failure)}`;
    try {
      await this.drivers
        .get(job.runtime)
        .uninstall(toDriverJob(job))
        .catch((cleanupErr: unknown) => {
          // Expected when the install never reached the runtime.
          this.logger.debug(`cleanup after failed install of ${job.id}: ${String(cleanupErr)}`);
        });
      await this.access.recordStatus(job, 'UNINSTALLED', reason);
    } finally {
      const failed = this.access.eventOf({ ...job, status: 'UNINSTALLED' }, 'failed', {
        operation: 'install',
        reason: messageOf(failure),
      });
      await this.retry.run(`install of job ${job.id}`, () =>
        this.jobs.release(
          job.id,
          'install',
          { status: 'UNINSTALLED', failureReason: reason, updatedAt: this.clock.now() },
          [failed],
        ),
      );
      await this.access.publishCommitted();
    }
  }
}
