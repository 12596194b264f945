import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ADAPTER_CLIENT,
  type AdapterClient,
  type RuntimeInfo,
  type TemplateInfo,
} from '@ruleshift/contracts';
import { ApiAuthGuard } from '../auth/api-auth.guard';
import { Roles } from '../auth/roles.decorator';

@ApiTags('platform')
@ApiBearerAuth()
@UseGuards(ApiAuthGuard)
@Roles('viewer')
@Controller('api')
export class PlatformController {
  constructor(@Inject(ADAPTER_CLIENT) private readonly adapter: AdapterClient) {}

  @Get('runtimes')
  @ApiOperation({ summary: 'Registered edge agents and Flink clusters with their health' })
  runtimes(): Promise<RuntimeInfo[]> {
    return this.adapter.send('runtimes.list', {});
  }

  @Get('templates')
  @ApiOperation({ summary: 'Template catalog: jobTypes, runtimes, jobProps schemas, artifacts' })
  templates(): Promise<TemplateInfo[]> {
    return this.adapter.send('templates.list', {});
  }
}
