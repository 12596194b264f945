import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { API_ROLES, isApiRole, RuntimeUnavailable, type ApiRole } from '@ruleshift/contracts';
import type { OidcOptions } from './auth-options';
import type { Principal } from './principal';

/** Asymmetric only: a JWKS never holds a shared secret, and `none` is never acceptable. */
const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'EdDSA',
];

export type OidcResult = { principal: Principal } | { rejected: string };

/**
 * JWTs from the configured identity provider, verified by jose against its JWKS. jose caches
 * the key set and refetches it when a token names a `kid` it does not hold (key rotation),
 * at most once per cooldown.
 */
export class OidcVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly options: OidcOptions) {
    this.keys = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: options.jwksCooldownMs ?? 30_000,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5_000,
    });
  }

  /** Three dot-separated base64url parts: worth trying as a JWT. */
  static looksLikeJwt(token: string): boolean {
    return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
  }

  async verify(token: string): Promise<OidcResult> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ALGORITHMS,
        clockTolerance: 5,
      }));
    } catch (error) {
      if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) {
        // The identity provider is unreachable: not the caller's fault.
        throw new RuntimeUnavailable('oidc', 'the identity provider key set cannot be fetched');
      }
      return { rejected: `JWT rejected (${error.code})` };
    }
    const role = highestRole(claimAt(payload, this.options.roleClaim));
    if (!role) return { rejected: `JWT has no ruleshift role in claim ${this.options.roleClaim}` };
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      return { rejected: 'JWT has no sub claim' };
    }
    return { principal: { subject: `jwt:${payload.sub}`, role } };
  }
}

function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A role name, a list of them, or a space-separated string (like `scope`): the highest wins. */
function highestRole(claim: unknown): ApiRole | null {
  const values = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(' ') : [];
  const roles = values.filter(isApiRole);
  if (roles.length === 0) return null;
  return roles.reduce((a, b) => (API_ROLES.indexOf(b) > API_ROLES.indexOf(a) ? b : a));
}
