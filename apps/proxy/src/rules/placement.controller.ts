import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  ADAPTER_CLIENT,
  ValidationFailed,
  type AdapterClient,
  type PlacementDecisionPage,
} from '@ruleshift/contracts';
import { ApiAuthGuard } from '../auth/api-auth.guard';
import { Roles } from '../auth/roles.decorator';

/** `limit` arrives as text; anything but digits is refused here, the range by the adapter. */
const toLimit = (limit: string | undefined): number | undefined => {
  if (limit === undefined) return undefined;
  if (!/^\d{1,9}$/.test(limit)) {
    throw new ValidationFailed([{ field: 'limit', reason: 'must be a positive integer' }]);
  }
  return Number(limit);
};

/** What the placement service decided, and why. */
@ApiTags('placement')
@ApiBearerAuth()
@UseGuards(ApiAuthGuard)
@Roles('viewer')
@Controller('api/placement')
export class PlacementController {
  constructor(@Inject(ADAPTER_CLIENT) private readonly adapter: AdapterClient) {}

  @Get('decisions')
  @ApiOperation({
    summary: 'Placement decisions and close non-decisions, newest first, with signals and reason',
    description:
      '`{ decisions: [{ id, jobId, at, action: move|stay, kind, from, to, reason, dryRun, ' +
      'outcome, signals }], nextBefore }`: at most `limit` (default 50, max 500); pass ' +
      '`nextBefore` as `before` for the next page.',
  })
  @ApiQuery({ name: 'jobId', required: false, type: String })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'before', required: false, type: String })
  decisions(
    @Query('jobId') jobId: string | undefined,
    @Query('limit') limit: string | undefined,
    @Query('before') before: string | undefined,
  ): Promise<PlacementDecisionPage> {
    return this.adapter.send('placement.decisions', { jobId, limit: toLimit(limit), before });
  }
}
