import type { ApiTokenInfo } from '@ruleshift/contracts';
import type { ApiTokenEntity } from './persistence/api-token.entity';

const iso = (date: Date | null): string | null => (date ? new Date(date).toISOString() : null);

/** The listed form of a key: never its hash. */
export function toApiTokenInfo(token: ApiTokenEntity): ApiTokenInfo {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    createdBy: token.createdBy,
    createdAt: new Date(token.createdAt).toISOString(),
    lastUsedAt: iso(token.lastUsedAt),
    expiresAt: iso(token.expiresAt),
    revokedAt: iso(token.revokedAt),
  };
}
