import { Inject, Injectable } from '@nestjs/common';
import type { ApiTokenInfo } from '@ruleshift/contracts';
import { toApiTokenInfo } from '../../api-token-mapper';
import { ApiTokenRepository } from '../../persistence/api-token.repository';

@Injectable()
export class ListApiTokensUseCase {
  constructor(@Inject(ApiTokenRepository) private readonly tokens: ApiTokenRepository) {}

  async execute(_request: Record<string, never>): Promise<ApiTokenInfo[]> {
    return (await this.tokens.list()).map(toApiTokenInfo);
  }
}
