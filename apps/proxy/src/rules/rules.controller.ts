import { Body, Controller, HttpCode, HttpStatus, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ADAPTER_CLIENT,
  type AdapterClient,
  type JobInfo,
  type UninstallRequest,
} from '@ruleshift/contracts';
import { InstallationDto } from './dto/installation.dto';
import { JobInfoDto } from './dto/job-info.dto';
import { RelocationDto } from './dto/relocation.dto';
import { UninstallRequestDto } from './dto/uninstall-request.dto';

/**
 * The paper's five operations. All answer 200 with the jobInfo object, install included: the
 * paper defines an RPC-style API whose response is always jobInfo, and clients written
 * against it check for 200.
 */
@ApiTags('rules')
@Controller('api')
export class RulesController {
  constructor(@Inject(ADAPTER_CLIENT) private readonly adapter: AdapterClient) {}

  @Post('install')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Install a templated rule on a runtime (status INSTALLED)' })
  @ApiBody({ type: InstallationDto })
  @ApiOkResponse({ type: JobInfoDto })
  install(@Body() installation: InstallationDto): Promise<JobInfo> {
    return this.adapter.send('rules.install', installation);
  }

  @Post('uninstall')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Uninstall a rule (status UNINSTALLED, terminal) and delete the queues it owned',
  })
  @ApiBody({ type: UninstallRequestDto })
  @ApiOkResponse({ type: JobInfoDto })
  uninstall(@Body() request: UninstallRequestDto): Promise<JobInfo> {
    return this.adapter.send('rules.uninstall', request satisfies UninstallRequest);
  }

  @Post('start')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Start an installed or stopped rule (status RUNNING)' })
  @ApiBody({ type: JobInfoDto })
  @ApiOkResponse({ type: JobInfoDto })
  start(@Body() jobInfo: JobInfoDto): Promise<JobInfo> {
    return this.adapter.send('rules.start', jobInfo);
  }

  @Post('stop')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Stop a running rule (status STOPPED); its input queue keeps filling' })
  @ApiBody({ type: JobInfoDto })
  @ApiOkResponse({ type: JobInfoDto })
  stop(@Body() jobInfo: JobInfoDto): Promise<JobInfo> {
    return this.adapter.send('rules.stop', jobInfo);
  }

  @Post('move')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Move a rule to another runtime/resource, keeping its status' })
  @ApiBody({ type: RelocationDto })
  @ApiOkResponse({ type: JobInfoDto })
  move(@Body() relocation: RelocationDto): Promise<JobInfo> {
    return this.adapter.send('rules.move', relocation);
  }
}
