import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
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
  DEAD_LETTER_LIST_DEFAULT_LIMIT,
  DEAD_LETTER_LIST_MAX_LIMIT,
  ValidationFailed,
  type AdapterClient,
  type DeadLetterReport,
} from '@ruleshift/contracts';
import type { Response } from 'express';
import { rememberAuditedJobId } from '../audit/audited-job-id';
import { ApiAuthGuard } from '../auth/api-auth.guard';
import { Roles } from '../auth/roles.decorator';
import { ReplayDeadLettersDto } from './dto/replay-dead-letters.dto';

const toLimit = (limit: string | undefined): number | undefined => {
  if (limit === undefined) return undefined;
  if (!/^\d{1,9}$/.test(limit)) {
    throw new ValidationFailed([{ field: 'limit', reason: 'must be a non-negative integer' }]);
  }
  return Number(limit);
};

/** A rule's dead letters: look at them (viewer), replay them to its input or purge them (operator). */
@ApiTags('dead letters')
@ApiBearerAuth()
@UseGuards(ApiAuthGuard)
@Controller('api/jobs/:jobId/deadletters')
export class DeadLettersController {
  constructor(@Inject(ADAPTER_CLIENT) private readonly adapter: AdapterClient) {}

  @Get()
  @Roles('viewer')
  @ApiOperation({
    summary: "The rule's dead letters: count by reason and the most recent ones",
    description:
      `\`{ jobId, total, byReason, overflowed, messages: [{ reason, detail, headers, body, ` +
      `deadLetteredAt }] }\`, messages newest first, at most \`limit\` (default ` +
      `${DEAD_LETTER_LIST_DEFAULT_LIMIT}, max ${DEAD_LETTER_LIST_MAX_LIMIT}).`,
  })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  list(
    @Param('jobId') jobId: string,
    @Query('limit') limit: string | undefined,
  ): Promise<DeadLetterReport> {
    return this.adapter.send('deadletters.list', { jobId, limit: toLimit(limit) });
  }

  @Post('replay')
  @Roles('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Republish the oldest dead letters to the rule's input, in order",
    description:
      'Each dead letter leaves its queue only once the broker confirmed its republish; on a ' +
      'refusal the answer is 503 and what was not replayed stays queued.',
  })
  @ApiBody({ type: ReplayDeadLettersDto, required: false })
  @ApiOkResponse({ description: '{ replayed: n }' })
  replay(
    @Param('jobId') jobId: string,
    @Body() request: ReplayDeadLettersDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ replayed: number }> {
    rememberAuditedJobId(response, jobId);
    return this.adapter.send('deadletters.replay', { jobId, count: request?.count });
  }

  @Delete()
  @Roles('operator')
  @ApiOperation({ summary: 'Drop every dead letter the rule has waiting' })
  @ApiOkResponse({ description: '{ purged: n }' })
  purge(
    @Param('jobId') jobId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ purged: number }> {
    rememberAuditedJobId(response, jobId);
    return this.adapter.send('deadletters.purge', { jobId });
  }
}
