import { Inject, Injectable } from '@nestjs/common';
import type { RuleConfig } from '@ruleshift/contracts';
import { JobAccess } from '../../job-access';

/** The rendered configuration file of a job (the paper's configFileName). */
@Injectable()
export class GetJobConfigUseCase {
  constructor(@Inject(JobAccess) private readonly access: JobAccess) {}

  async execute(request: {
    jobId: string;
  }): Promise<{ configFileName: string; content: RuleConfig }> {
    const job = await this.access.load(request.jobId);
    return { configFileName: job.configFileName, content: job.config };
  }
}
