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
import { ADAPTER_CLIENT, type AdapterClient, type ApiTokenInfo } from '@ruleshift/contracts';
import { ApiAuthGuard } from './api-auth.guard';
import { ApiKeyIssuer, type IssuedApiKey } from './api-key-issuer';
import { CurrentPrincipal } from './current-principal.decorator';
import { CreateTokenDto } from './dto/create-token.dto';
import type { Principal } from './principal';
import { Roles } from './roles.decorator';

@ApiTags('security')
@ApiBearerAuth()
@UseGuards(ApiAuthGuard)
@Roles('admin')
@Controller('api/tokens')
export class TokensController {
  constructor(
    @Inject(ApiKeyIssuer) private readonly issuer: ApiKeyIssuer,
    @Inject(ADAPTER_CLIENT) private readonly adapter: AdapterClient,
  ) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create an API key; its secret is in this response only' })
  create(
    @Body() body: CreateTokenDto,
    @CurrentPrincipal() creator: Principal,
  ): Promise<IssuedApiKey> {
    return this.issuer.issue(body, creator);
  }

  @Get()
  @ApiOperation({ summary: 'Every API key: name, role, creator, times; never a secret' })
  list(): Promise<ApiTokenInfo[]> {
    return this.adapter.send('tokens.list', {});
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API key (refused from now on, kept in the list)' })
  revoke(@Param('id') id: string): Promise<ApiTokenInfo> {
    return this.issuer.revoke(id);
  }
}
