import { Inject, Injectable } from '@nestjs/common';
import { NotFound, type ApiTokenInfo } from '@ruleshift/contracts';
import { Clock } from '../../../shared/clock';
import { toApiTokenInfo } from '../../api-token-mapper';
import { ApiTokenRepository } from '../../persistence/api-token.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Revoking twice keeps the first revocation time; the row stays for the audit trail. */
@Injectable()
export class RevokeApiTokenUseCase {
  constructor(
    @Inject(ApiTokenRepository) private readonly tokens: ApiTokenRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(request: { id: string }): Promise<ApiTokenInfo> {
    const revoked = UUID.test(String(request.id))
      ? await this.tokens.revoke(request.id, this.clock.now())
      : null;
    if (!revoked) throw new NotFound('id', `no API token ${String(request.id)}`);
    return toApiTokenInfo(revoked);
  }
}
