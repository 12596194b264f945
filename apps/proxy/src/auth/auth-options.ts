/** How the proxy authenticates callers; built once at boot from the environment (auth-env.ts). */
export interface AuthOptions {
  /** RULESHIFT_ADMIN_TOKEN: accepted as an admin on every route, never stored anywhere. */
  adminToken?: string;
  oidc?: OidcOptions;
  /** How long a verified API key is trusted without asking the registry again. */
  apiKeyCacheTtlMs: number;
  failedAuth: FailedAuthLimits;
}

export interface OidcOptions {
  issuer: string;
  audience: string;
  jwksUrl: string;
  /** Claim holding the role (dotted path, e.g. `realm_access.roles`): a role name or a list. */
  roleClaim: string;
  /** jose's wait before refetching the JWKS for an unknown `kid` (tests use 0). */
  jwksCooldownMs?: number;
}

export interface FailedAuthLimits {
  /** Failed authentications allowed per client address within `windowSeconds`. */
  maxFailures: number;
  windowSeconds: number;
  /** How long an address that exceeded them gets 429 on every route. */
  blockSeconds: number;
}

export const DEFAULT_API_KEY_CACHE_TTL_MS = 10_000;
export const DEFAULT_FAILED_AUTH_LIMITS: FailedAuthLimits = {
  maxFailures: 10,
  windowSeconds: 60,
  blockSeconds: 300,
};

/** Nest injection token for AuthOptions. */
export const AUTH_OPTIONS = Symbol('AUTH_OPTIONS');
