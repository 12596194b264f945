/** Why a message was not fresh. */
export type Staleness = 'expired' | 'from-the-future' | 'replayed';

/**
 * Accepts each nonce once within a window around its issue time: a message older than the
 * window (or too far ahead of this clock) is refused outright, so nonces only need to be kept
 * for the window's length.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** undefined when fresh (and from now on remembered); else why not. */
  check(nonce: string, issuedAtMs: number): Staleness | undefined {
    const now = this.now();
    this.forgetBefore(now - this.windowMs);
    if (!Number.isFinite(issuedAtMs) || issuedAtMs < now - this.windowMs) return 'expired';
    if (issuedAtMs > now + this.windowMs) return 'from-the-future';
    if (this.seen.has(nonce)) return 'replayed';
    this.seen.set(nonce, issuedAtMs);
    return undefined;
  }

  private forgetBefore(cutoff: number): void {
    for (const [nonce, issuedAt] of this.seen) {
      if (issuedAt < cutoff) this.seen.delete(nonce);
    }
  }
}
