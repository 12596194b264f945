import type { ApiKeyVerifier } from './api-key-verifier';
import type { BootstrapAdminVerifier } from './bootstrap-admin-verifier';
import { OidcVerifier } from './oidc-verifier';
import type { Principal } from './principal';

export type Verification = { principal: Principal } | { rejected: string };

const UNKNOWN = 'is not a valid token (unknown, revoked or expired)';

/** Picks the verifier by the token's shape: bootstrap admin, then JWT, then API key. */
export class BearerTokenVerifier {
  constructor(
    private readonly bootstrapAdmin: BootstrapAdminVerifier,
    private readonly apiKeys: ApiKeyVerifier,
    private readonly oidc: OidcVerifier | null,
  ) {}

  async verify(token: string): Promise<Verification> {
    const admin = this.bootstrapAdmin.verify(token);
    if (admin) return { principal: admin };
    if (OidcVerifier.looksLikeJwt(token)) {
      if (!this.oidc) return { rejected: 'is a JWT, but no OIDC issuer is configured' };
      return this.oidc.verify(token);
    }
    const principal = await this.apiKeys.verify(token);
    return principal ? { principal } : { rejected: UNKNOWN };
  }

  forgetApiKey(keyId: string): void {
    this.apiKeys.forget(keyId);
  }
}
