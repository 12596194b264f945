/** Fingerprints with counts: the same body may legitimately arrive more than once. */
export class FingerprintMultiset {
  private readonly counts = new Map<number, number>();
  private total = 0;

  static from(entries: readonly (readonly [number, number])[]): FingerprintMultiset {
    const set = new FingerprintMultiset();
    for (const [fingerprint, count] of entries) set.add(fingerprint, count);
    return set;
  }

  get size(): number {
    return this.total;
  }

  add(fingerprint: number, count = 1): void {
    if (!(count > 0)) return;
    this.counts.set(fingerprint, (this.counts.get(fingerprint) ?? 0) + count);
    this.total += count;
  }

  /** Removes one occurrence; false when there is none. */
  take(fingerprint: number): boolean {
    const count = this.counts.get(fingerprint);
    if (count === undefined) return false;
    if (count === 1) this.counts.delete(fingerprint);
    else this.counts.set(fingerprint, count - 1);
    this.total--;
    return true;
  }

  addAll(other: FingerprintMultiset): void {
    for (const [fingerprint, count] of other.counts) this.add(fingerprint, count);
  }

  /** `[fingerprint, count]` pairs, the snapshot's JSON form. */
  entries(): [number, number][] {
    return [...this.counts.entries()];
  }
}
