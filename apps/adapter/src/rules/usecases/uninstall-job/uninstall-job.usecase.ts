import { Inject, Injectable } from '@nestjs/common';
import type { JobInfo, JobStatus } from '@ruleshift/contracts';
import { DriverRegistry } from '../../../drivers/driver-registry';
import { JobAccess, toDriverJob } from '../../job-access';
import { toJobInfo } from '../../job-mapper';

const UNINSTALLABLE: readonly JobStatus[] = ['INSTALLED', 'RUNNING', 'STOPPED', 'FAILED'];

@Injectable()
export class UninstallJobUseCase {
  constructor(
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(DriverRegistry) private readonly drivers: DriverRegistry,
  ) {}

  async execute(request: JobInfo): Promise<JobInfo> {
    const job = await this.access.loadFor(request, '');
    this.access.requireStatus(job, UNINSTALLABLE, 'uninstall', '');
    const driver = this.drivers.get(job.runtime, 'runtime');
    const uninstalled = await this.access.hold(job, 'uninstall', async () => {
      await driver.uninstall(toDriverJob(job));
      await this.access.recordStatus(job, 'UNINSTALLED');
      return { status: 'UNINSTALLED', snapshot: null };
    });
    return toJobInfo(uninstalled);
  }
}
