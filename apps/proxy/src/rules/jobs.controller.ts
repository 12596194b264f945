import { Controller, Get, Inject, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ADAPTER_CLIENT,
  type AdapterApi,
  type AdapterClient,
  type JobDetails,
} from '@ruleshift/contracts';
import { ApiAuthGuard } from '../auth/api-auth.guard';
import { Roles } from '../auth/roles.decorator';

@ApiTags('rules')
@ApiBearerAuth()
@UseGuards(ApiAuthGuard)
@Roles('viewer')
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
