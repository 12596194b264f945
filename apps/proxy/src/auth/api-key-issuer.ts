import { Inject, Injectable } from '@nestjs/common';
import {
  ADAPTER_CLIENT,
  type AdapterClient,
  type ApiRole,
  type ApiTokenInfo,
  ValidationFailed,
} from '@ruleshift/contracts';
import { hashApiKeySecret, mintApiKeySecret } from './api-key-secret';
import { BearerTokenVerifier } from './bearer-token-verifier';
import type { Principal } from './principal';

export interface IssuedApiKey extends ApiTokenInfo {
  /** The secret, in this one response only: the registry keeps its hash. */
  token: string;
}

/**
 * Mints API keys here in the proxy so the secret never crosses the broker or reaches the
 * registry: only its sha256 does.
 */
@Injectable()
export class ApiKeyIssuer {
  constructor(
    @Inject(ADAPTER_CLIENT) private readonly adapter: AdapterClient,
    @Inject(BearerTokenVerifier) private readonly verifier: BearerTokenVerifier,
  ) {}

  async issue(
    request: { name: string; role: ApiRole; expiresAt?: string },
    creator: Principal,
  ): Promise<IssuedApiKey> {
    if (request.expiresAt && Date.parse(request.expiresAt) <= Date.now()) {
      throw new ValidationFailed([{ field: 'expiresAt', reason: 'must be in the future' }]);
    }
    const secret = mintApiKeySecret();
    const info = await this.adapter.send('tokens.create', {
      name: request.name,
      role: request.role,
      createdBy: creator.subject,
      expiresAt: request.expiresAt ? new Date(request.expiresAt).toISOString() : null,
      secretHash: hashApiKeySecret(secret),
    });
    return { ...info, token: secret };
  }

  async revoke(id: string): Promise<ApiTokenInfo> {
    const revoked = await this.adapter.send('tokens.revoke', { id });
    this.verifier.forgetApiKey(revoked.id);
    return revoked;
  }
}
