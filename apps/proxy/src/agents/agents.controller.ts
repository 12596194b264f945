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
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ADAPTER_CLIENT,
  type AdapterClient,
  type AgentInfo,
  type CreatedAgent,
} from '@ruleshift/contracts';
import { ApiAuthGuard } from '../auth/api-auth.guard';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { CreateAgentDto } from './dto/create-agent.dto';

@ApiTags('security')
@ApiBearerAuth()
@UseGuards(ApiAuthGuard)
@Roles('admin')
@Controller('api/agents')
export class AgentsController {
  constructor(@Inject(ADAPTER_CLIENT) private readonly adapter: AdapterClient) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Admit an agent id; its one-time enrolment token is in this response only',
  })
  create(
    @Body() body: CreateAgentDto,
    @CurrentPrincipal() creator: Principal,
  ): Promise<CreatedAgent> {
    return this.adapter.send('agents.create', {
      agentId: body.agentId,
      createdBy: creator.subject,
    });
  }

  @Get()
  @ApiOperation({ summary: 'Every agent: status, enrolment and revocation times, key fingerprint' })
  list(): Promise<AgentInfo[]> {
    return this.adapter.send('agents.list', {});
  }

  @Delete(':agentId')
  @ApiOperation({ summary: 'Revoke an agent: its heartbeats are refused and it gets no rules' })
  revoke(@Param('agentId') agentId: string): Promise<AgentInfo> {
    return this.adapter.send('agents.revoke', { agentId });
  }
}
