import { Body, Controller, Get, Inject, Param, Put, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import {
  ADAPTER_CLIENT,
  ValidationFailed,
  type AdapterApi,
  type AdapterClient,
  type JobDetails,
  type PlacementPolicy,
} from '@ruleshift/contracts';
import { rememberAuditedJobId } from '../audit/audited-job-id';
import { PlacementPolicyDto } from './dto/placement-policy.dto';
import { ApiAuthGuard } from '../auth/api-auth.guard';
import { Roles } from '../auth/roles.decorator';
import type { Response } from 'express';

/** `limit` arrives as text; anything but digits is refused here, the range by the adapter. */
const toLimit = (limit: string | undefined): number | undefined => {
  if (limit === undefined) return undefined;
  if (!/^\d{1,9}$/.test(limit)) {
    throw new ValidationFailed([{ field: 'limit', reason: 'must be a positive integer' }]);
  }
  return Number(limit);
};

@ApiTags('rules')
@ApiBearerAuth()
@UseGuards(ApiAuthGuard)
@Roles('viewer')
@Controller('api/jobs')
export class JobsController {
  constructor(@Inject(ADAPTER_CLIENT) private readonly adapter: AdapterClient) {}

  /**
   * The body stays an array (clients of the first API keep working); the next page's cursor
   * travels in `X-Next-Cursor` and an RFC 8288 `Link: <...>; rel="next"` header.
   */
  @Get()
  @ApiOperation({
    summary: 'One page of jobs (oldest first) with status, placement and history',
    description:
      'At most `limit` jobs (default 100, max 500). When more follow, the response has the ' +
      'headers `X-Next-Cursor` and `Link: </api/jobs?limit=..&cursor=..>; rel="next"`.',
  })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'cursor', required: false, type: String })
  async list(
    @Query('limit') limit: string | undefined,
    @Query('cursor') cursor: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<JobDetails[]> {
    const page = await this.adapter.send('jobs.list', { limit: toLimit(limit), cursor });
    if (page.nextCursor) {
      const next = new URLSearchParams({ cursor: page.nextCursor });
      if (limit !== undefined) next.set('limit', limit);
      response.setHeader('X-Next-Cursor', page.nextCursor);
      response.setHeader('Link', `</api/jobs?${next.toString()}>; rel="next"`);
    }
    return page.items;
  }

  @Get(':jobId')
  @ApiOperation({ summary: 'One job: jobInfo plus placement, connectors, jobProps, history' })
  get(@Param('jobId') jobId: string): Promise<JobDetails> {
    return this.adapter.send('jobs.get', { jobId });
  }

  @Put(':jobId/placement')
  @Roles('operator')
  @ApiOperation({
    summary: "Replace the rule's placement policy (manual, or auto with candidates and thresholds)",
    description:
      'Answers the policy as stored. An auto policy lets the adapter move the rule between its ' +
      'candidates by load; `dryRun: true` only records what it would do ' +
      '(GET /api/placement/decisions).',
  })
  @ApiBody({ type: PlacementPolicyDto })
  @ApiOkResponse({ type: PlacementPolicyDto })
  setPlacement(
    @Param('jobId') jobId: string,
    @Body() placement: PlacementPolicyDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PlacementPolicy> {
    rememberAuditedJobId(response, jobId);
    return this.adapter.send('placement.set', { jobId, placement });
  }

  @Get(':jobId/config')
  @ApiOperation({ summary: 'The rendered configuration file that configFileName names' })
  @ApiOkResponse({ description: '{ configFileName, content }' })
  config(@Param('jobId') jobId: string): Promise<AdapterApi['jobs.config']['response']> {
    return this.adapter.send('jobs.config', { jobId });
  }
}
