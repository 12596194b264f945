import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ADAPTER_CLIENT,
  type AdapterClient,
  type PipelineDetails,
  type PipelineInfo,
} from '@ruleshift/contracts';
import { ApiAuthGuard } from '../auth/api-auth.guard';
import { Roles } from '../auth/roles.decorator';
import { PipelineDto } from './dto/pipeline.dto';

/**
 * Pipelines of rules. `{pipeline}` is the pipelineId create answered, or the name of a
 * pipeline not uninstalled. Reading needs viewer, changing needs operator.
 */
@ApiTags('pipelines')
@ApiBearerAuth()
@UseGuards(ApiAuthGuard)
@Controller('api/pipelines')
export class PipelinesController {
  constructor(@Inject(ADAPTER_CLIENT) private readonly adapter: AdapterClient) {}

  @Post()
  @Roles('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Check a pipeline of stages, then install every stage (or none)',
  })
  @ApiBody({ type: PipelineDto })
  create(@Body() pipeline: PipelineDto): Promise<PipelineInfo> {
    return this.adapter.send('pipelines.create', pipeline);
  }

  @Get()
  @Roles('viewer')
  @ApiOperation({ summary: 'Pipelines not uninstalled, oldest first, with derived status' })
  list(): Promise<PipelineInfo[]> {
    return this.adapter.send('pipelines.list', {});
  }

  @Get(':pipeline')
  @Roles('viewer')
  @ApiOperation({ summary: "One pipeline with each stage's job: placement, status, metrics" })
  get(@Param('pipeline') pipeline: string): Promise<PipelineDetails> {
    return this.adapter.send('pipelines.get', { pipeline });
  }

  @Post(':pipeline/start')
  @Roles('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Start every stage, downstream first' })
  start(@Param('pipeline') pipeline: string): Promise<PipelineInfo> {
    return this.adapter.send('pipelines.start', { pipeline });
  }

  @Post(':pipeline/stop')
  @Roles('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Stop every stage, upstream first, each settling before the next' })
  stop(@Param('pipeline') pipeline: string): Promise<PipelineInfo> {
    return this.adapter.send('pipelines.stop', { pipeline });
  }

  @Post(':pipeline/uninstall')
  @Roles('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Uninstall every stage, its queues and the exchanges the pipeline created',
  })
  uninstall(@Param('pipeline') pipeline: string): Promise<PipelineInfo> {
    return this.adapter.send('pipelines.uninstall', { pipeline });
  }
}
