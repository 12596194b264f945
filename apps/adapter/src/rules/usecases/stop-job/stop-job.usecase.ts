import { Inject, Injectable } from '@nestjs/common';
import type { JobInfo } from '@ruleshift/contracts';
import { DriverRegistry } from '../../../drivers/driver-registry';
import { JobAccess, toDriverJob } from '../../job-access';
import { toJobInfo } from '../../job-mapper';

@Injectable()
export class StopJobUseCase {
  constructor(
    @Inject(JobAccess) private readonly access: JobAccess,
    @Inject(DriverRegistry) private readonly drivers: DriverRegistry,
  ) {}

  async execute(request: JobInfo): Promise<JobInfo> {
    const job = await this.access.loadFor(request, '');
    this.access.requireStatus(job, ['RUNNING'], 'stop', '');
    const driver = this.drivers.get(job.runtime, 'runtime');
    const stopped = await this.access.hold(
      job,
      'stop',
      async () => {
        const snapshot = await driver.stop(toDriverJob(job));
        await this.access.recordStatus(job, 'STOPPED');
        // Kept so a later move can carry the state of a stopped stateful rule.
        return { status: 'STOPPED' as const, snapshot: snapshot ?? job.snapshot };
      },
      '',
      'stopped',
    );
    return toJobInfo(stopped);
  }
}
