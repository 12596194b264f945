/**
 * Who may call the HTTP API: roles, API keys as the registry keeps them (never their secret),
 * and the audit log of mutating calls. Shared by the proxy (which authenticates) and the
 * adapter (which stores).
 */

/** Each role includes everything of the roles before it. */
export const API_ROLES = ['viewer', 'operator', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export function isApiRole(value: unknown): value is ApiRole {
  return typeof value === 'string' && (API_ROLES as readonly string[]).includes(value);
}

/** True when `held` is at least `needed` (admin > operator > viewer). */
export function roleAllows(held: ApiRole, needed: ApiRole): boolean {
  return API_ROLES.indexOf(held) >= API_ROLES.indexOf(needed);
}

/** An API key as listed: everything but its secret (which only its creator ever saw). */
export interface ApiTokenInfo {
  id: string;
  name: string;
  role: ApiRole;
  /** Subject of the principal that created it. */
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** What the proxy sends to store a new key: the secret itself never leaves the proxy. */
export interface CreateApiTokenRequest {
  name: string;
  role: ApiRole;
  createdBy: string;
  expiresAt: string | null;
  /** Hex sha256 of the secret (see docs/decisions.md: why a plain hash is enough). */
  secretHash: string;
}

/** One mutating API call. Never the body or a token: only a digest of the body. */
export interface AuditRecord {
  /** Principal subject: API key id, JWT `sub`, or `bootstrap-admin`. */
  subject: string;
  role: ApiRole;
  /** `METHOD /path`, e.g. `POST /api/install`. */
  operation: string;
  jobId: string | null;
  /** Hex sha256 of the JSON body as received, null without a body. */
  bodyDigest: string | null;
  statusCode: number;
  clientAddress: string | null;
  at: string;
}

export interface AuditEntry extends AuditRecord {
  id: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `before` to read the next (older) page; null on the last page. */
  nextBefore: string | null;
}
