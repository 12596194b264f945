import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  DEAD_LETTER_EXCHANGE,
  configFileNameFor,
  type InstallationObject,
  type JobInfo,
  type RuleConfig,
} from '@ruleshift/contracts';
import type { BrokerRegistry } from '@ruleshift/broker';
import { Clock } from '../../../shared/clock';
import { BROKER_REGISTRY, TEMPLATE_CATALOG } from '../../../shared/tokens';
import type { TemplateCatalogPort } from '../../../shared/template-catalog-port';
import { DriverRegistry } from '../../../drivers/driver-registry';
import type { JobEntity } from '../../../registry/entities/job.entity';
import { JobRepository } from '../../../registry/job.repository';
import { RuntimeAvailability } from '../../../runtimes/runtime-availability';
import { JobAccess, toDriverJob } from '../../job-access';
import { toJobInfo } from '../../job-mapper';
import { RuleTopology } from '../../rule-topology';

/**
 * Installs a rule. The job row is written first, held by `install`, so the attempt is on
 * record; if the runtime refuses, the row ends UNINSTALLED with the reason and nothing stays
 * installed anywhere.
 */
@Injectable()
export class InstallJobUseCase {
  private readonly logger = new Logger(InstallJobUseCase.name);

  constructor(
    @Inject(TEMPLATE_CATALOG) private readonly catalog: TemplateCatalogPort,
    @Inject(BROKER_REGISTRY) private readonly brokers: BrokerRegistry,
    @Inject(RuntimeAvailability) private readonly availability: RuntimeAvailability,
    @Inject(DriverRegistry) private readonly drivers: DriverRegistry,
    @Inject(RuleTopology) private readonly topology: RuleTopology,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(request: InstallationObject): Promise<JobInfo> {
    const { runtime, targetResource, jobType } = request.headers;
    const template = this.catalog.resolve(jobType, runtime);
    this.catalog.validateJobProps(jobType, request.jobProps);
    this.validateEndpoints(request);
    const driver = this.drivers.get(runtime);
    await this.availability.requireReachable(runtime, targetResource, 'headers.targetResource');

    const jobId = randomUUID();
    const config: RuleConfig = {
      jobId,
      jobType,
      templateVersion: template.version,
      connectors: request.jobConfig.connectors,
      jobProps: request.jobProps,
      deadLetterExchange: DEAD_LETTER_EXCHANGE,
      deadLetterQueue: this.topology.deadLetterQueue,
    };
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
      snapshot: null,
      version: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.jobs.insert(job);

    try {
      await this.topology.declare(config);
      await driver.install(toDriverJob(job), config);
    } catch (err) {
      const reason = `install failed: ${err instanceof Error ? err.message : String(err)}`;
      await driver.uninstall(toDriverJob(job)).catch((cleanupErr: unknown) => {
        // Expected when the install never reached the runtime.
        this.logger.debug(`cleanup after failed install of ${jobId}: ${String(cleanupErr)}`);
      });
      await this.access.recordStatus(job, 'UNINSTALLED', reason);
      await this.jobs.release(jobId, 'install', {
        status: 'UNINSTALLED',
        failureReason: reason,
        updatedAt: this.clock.now(),
      });
      throw err;
    }

    await this.access.recordStatus(job, 'INSTALLED');
    await this.jobs.release(jobId, 'install', { status: 'INSTALLED', updatedAt: this.clock.now() });
    return toJobInfo(await this.access.load(jobId));
  }

  private validateEndpoints(request: InstallationObject): void {
    const connectors = request.jobConfig.connectors;
    const prefix = 'jobConfig.connectors';
    this.brokers.validateEndpoint(connectors.inputEndpoint, `${prefix}.inputEndpoint`);
    this.brokers.validateEndpoint(connectors.outputEndpoint, `${prefix}.outputEndpoint`);
    if (connectors.secondInput) {
      this.brokers.validateEndpoint(
        connectors.secondInput.endpoint,
        `${prefix}.secondInput.endpoint`,
      );
    }
  }
}
