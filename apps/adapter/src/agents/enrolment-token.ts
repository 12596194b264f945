import { createHash, randomBytes } from 'node:crypto';

/** How long an enrolment token may wait to be presented. */
export const ENROLMENT_TOKEN_TTL_MS = 24 * 3600_000;

/** 256 random bits: guessing one is hopeless, so a plain sha256 is enough to store it. */
export function newEnrolmentToken(): string {
  return `rse_${randomBytes(32).toString('base64url')}`;
}

export function enrolmentTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
