import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from './principal';

export const BOOTSTRAP_ADMIN_SUBJECT = 'bootstrap-admin';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** RULESHIFT_ADMIN_TOKEN: compared in constant time (through equal-length digests). */
export class BootstrapAdminVerifier {
  private readonly expected: Buffer | null;

  constructor(adminToken: string | undefined) {
    this.expected = adminToken ? digest(adminToken) : null;
  }

  verify(token: string): Principal | null {
    if (!this.expected || !timingSafeEqual(digest(token), this.expected)) return null;
    return { subject: BOOTSTRAP_ADMIN_SUBJECT, role: 'admin' };
  }
}
