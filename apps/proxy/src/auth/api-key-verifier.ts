import type { AdapterClient } from '@ruleshift/contracts';
import { API_KEY_PREFIX, hashApiKeySecret } from './api-key-secret';
import type { Principal } from './principal';

/** Bounds the cache: a flood of distinct valid keys cannot grow it without limit. */
const MAX_CACHED_KEYS = 10_000;

interface CachedKey {
  principal: Principal;
  keyId: string;
  /** Epoch ms after which the registry is asked again (never after the key's expiry). */
  until: number;
}

/**
 * API keys live in the registry (hash only). A verified key is trusted for `ttlMs` without
 * asking again, so a key revoked through another proxy instance may pass here for up to
 * `ttlMs`; a revocation through this instance drops it at once (`forget`). Only successes
 * are cached: failures are bounded by the failed-authentication limiter instead.
 */
export class ApiKeyVerifier {
  private readonly cache = new Map<string, CachedKey>();

  constructor(
    private readonly adapter: AdapterClient,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async verify(secret: string): Promise<Principal | null> {
    if (!secret.startsWith(API_KEY_PREFIX)) return null;
    const secretHash = hashApiKeySecret(secret);
    const cached = this.cache.get(secretHash);
    if (cached && cached.until > this.now()) return cached.principal;
    this.cache.delete(secretHash);
    const { token } = await this.adapter.send('tokens.verify', { secretHash });
    if (!token) return null;
    const principal: Principal = { subject: `key:${token.id}`, role: token.role };
    if (this.ttlMs > 0) {
      const expiry = token.expiresAt ? Date.parse(token.expiresAt) : Infinity;
      if (this.cache.size >= MAX_CACHED_KEYS) this.cache.clear();
      this.cache.set(secretHash, {
        principal,
        keyId: token.id,
        until: Math.min(this.now() + this.ttlMs, expiry),
      });
    }
    return principal;
  }

  /** Called when this proxy revokes a key: it stops passing here immediately. */
  forget(keyId: string): void {
    for (const [hash, cached] of this.cache) {
      if (cached.keyId === keyId) this.cache.delete(hash);
    }
  }
}
