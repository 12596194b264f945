import { Inject, Injectable } from '@nestjs/common';
import type { ApiTokenInfo } from '@ruleshift/contracts';
import { Clock } from '../../../shared/clock';
import { toApiTokenInfo } from '../../api-token-mapper';
import { ApiTokenRepository } from '../../persistence/api-token.repository';

/**
 * Looks a key up by the hash of its secret. Unknown, revoked and expired keys all answer
 * null: the caller says 401 without telling which. A hit records the last-use time.
 */
@Injectable()
export class VerifyApiTokenUseCase {
  constructor(
    @Inject(ApiTokenRepository) private readonly tokens: ApiTokenRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(request: { secretHash: string }): Promise<{ token: ApiTokenInfo | null }> {
    if (typeof request.secretHash !== 'string') return { token: null };
    const token = await this.tokens.findBySecretHash(request.secretHash);
    const now = this.clock.now();
    if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now)) {
      return { token: null };
    }
    await this.tokens.markUsed(token.id, now);
    return { token: toApiTokenInfo({ ...token, lastUsedAt: now }) };
  }
}
