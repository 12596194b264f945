import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ADAPTER_CLIENT,
  type AdapterApi,
  type AdapterClient,
  type JobDetails,
} from '@ruleshift/contracts';

@ApiTags('rules')
@Controller('api/jobs')
export class JobsController {
  constructor(@Inject(ADAPTER_CLIENT) private readonly adapter: AdapterClient) {}

  @Get()
  @ApiOperation({ summary: 'Every job the registry knows, with status, placement and history' })
  list(): Promise<JobDetails[]> {
    return this.adapter.send('jobs.list', {});
  }

  @Get(':jobId')
  @ApiOperation({ summary: 'One job: jobInfo plus placement, connectors, jobProps, history' })
  get(@Param('jobId') jobId: string): Promise<JobDetails> {
    return this.adapter.send('jobs.get', { jobId });
  }

  @Get(':jobId/config')
  @ApiOperation({ summary: 'The rendered configuration file that configFileName names' })
  @ApiOkResponse({ description: '{ configFileName, content }' })
  config(@Param('jobId') jobId: string): Promise<AdapterApi['jobs.config']['response']> {
    return this.adapter.send('jobs.config', { jobId });
  }
}
