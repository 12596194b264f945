import type { KeySlot } from './types';
import { stateLimitDetail } from '../operators/dead-letter-detail';

export const DEFAULT_MAX_KEYS = 100_000;

/**
 * Counts, per key, how many windows hold state for it, so the number of distinct keys is
 * known without scanning windows and `maxKeys` can refuse a new key in O(1).
 */
export class KeyRegistry {
  private readonly refs = new Map<KeySlot, number>();

  constructor(readonly maxKeys = DEFAULT_MAX_KEYS) {
    if (!Number.isInteger(maxKeys) || maxKeys <= 0)
      throw new RangeError('maxKeys must be a positive integer');
  }

  /** The dead letter's detail for an event `admits` refuses. */
  get limitDetail(): string {
    return stateLimitDetail(this.maxKeys);
  }

  get size(): number {
    return this.refs.size;
  }

  /** Whether state may be added for `slot` (known keys always may). */
  admits(slot: KeySlot): boolean {
    return this.refs.size < this.maxKeys || this.refs.has(slot);
  }

  retain(slot: KeySlot): void {
    this.refs.set(slot, (this.refs.get(slot) ?? 0) + 1);
  }

  release(slot: KeySlot): void {
    const left = (this.refs.get(slot) ?? 1) - 1;
    if (left <= 0) this.refs.delete(slot);
    else this.refs.set(slot, left);
  }

  clear(): void {
    this.refs.clear();
  }
}
