import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ADAPTER_CLIENT,
  type AdapterClient,
  type RuntimeInfo,
  type TemplateInfo,
} from '@ruleshift/contracts';

@ApiTags('platform')
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
