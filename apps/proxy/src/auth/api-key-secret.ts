import { createHash, randomBytes } from 'node:crypto';

/** Every secret ruleshift mints starts with it, so leaked keys are easy to scan for. */
export const API_KEY_PREFIX = 'rs_';

/** 32 random bytes: a secret nobody guesses, so a plain sha256 is enough to store it. */
export function mintApiKeySecret(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
