import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ADAPTER_CLIENT, type AdapterClient, type AuditPage } from '@ruleshift/contracts';
import { ApiAuthGuard } from '../auth/api-auth.guard';
import { Roles } from '../auth/roles.decorator';
import { AuditQueryDto } from './dto/audit-query.dto';

export const DEFAULT_AUDIT_PAGE = 50;

@ApiTags('security')
@ApiBearerAuth()
@UseGuards(ApiAuthGuard)
@Controller('api/audit')
export class AuditController {
  constructor(@Inject(ADAPTER_CLIENT) private readonly adapter: AdapterClient) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Mutating API calls, newest first: who, role, operation, result' })
  list(@Query() query: AuditQueryDto): Promise<AuditPage> {
    return this.adapter.send('audit.list', {
      limit: query.limit ? Number(query.limit) : DEFAULT_AUDIT_PAGE,
      before: query.before,
    });
  }
}
