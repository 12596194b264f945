import { Inject, Injectable } from '@nestjs/common';
import type { JobInfo, JobStatus } from '@ruleshift/contracts';
import { DriverRegistry } from '../../../drivers/driver-registry';
import { JobAccess, toDriverJob } from '../../job-access';
import { toJobInfo } from '../../job-mapper';

const STARTABLE: readonly JobStatus[] = ['INSTALLED', 'STOPPED', 'FAILED'];

@Injectable()
export class StartJobUseCase {
  constructor(
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(DriverRegistry) private readonly drivers: DriverRegistry,
  ) {}

  async execute(request: JobInfo): Promise<JobInfo> {
    const job = await this.access.loadFor(request, '');
    this.access.requireStatus(job, STARTABLE, 'start', '');
    const driver = this.drivers.get(job.runtime, 'runtime');
    const started = await this.access.hold(
      job,
      'start',
      async () => {
        await driver.start(toDriverJob(job));
        await this.access.recordStatus(job, 'RUNNING');
        return { status: 'RUNNING', failureReason: null };
      },
      '',
      'started',
    );
    return toJobInfo(started);
  }
}
