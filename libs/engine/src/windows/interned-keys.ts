import { keySlot, ownKey, ownSlot } from './key-slot';
import type { KeySlot, WindowKey } from './types';
import { DEFAULT_MAX_KEYS } from './key-registry';
import { stateLimitDetail } from '../operators/dead-letter-detail';

/** A key as time windows hold it: one entry per key, shared by every window of the key. */
export interface InternedKey<Cell> {
  /**
   * State's own copy of the key (see ownSlot), made once per entry. Its slot is not kept
   * beside it (8 bytes a key): for a string, number or boolean key the slot is the key itself,
   * and `keySlot` rebuilds an object key's when the entry goes.
   */
  readonly value: WindowKey;
  /** How many windows hold state for the key (0: the entry is idle, see InternedKeys). */
  holders: number;
  /** The cell this key's last event went to: in-order events skip the window's lookup. */
  recent: Cell | undefined;
}

/**
 * The keys time windows hold state for. A window finds a key's cell by its entry, and the key
 * is copied when it first comes, not once per window: a tumbling window per second over 1,000
 * keys had copied and counted every key in every window. A key whose last window went stays
 * interned (idle, counting as no key) until the next window goes, so a key that carries on in
 * the next window keeps its entry.
 */
export class InternedKeys<Cell> {
  private readonly entries = new Map<KeySlot, InternedKey<Cell>>();
  /** Keys holding state: what `maxKeys` limits and stats count. */
  private held = 0;
  /** Entries that went idle since the last sweep. */
  private idle: InternedKey<Cell>[] = [];

  constructor(readonly maxKeys = DEFAULT_MAX_KEYS) {
    if (!Number.isInteger(maxKeys) || maxKeys <= 0)
      throw new RangeError('maxKeys must be a positive integer');
  }

  /** Whether maxKeys keys hold state: a key holding none is refused (restored state is not). */
  get full(): boolean {
    return this.held >= this.maxKeys;
  }

  /** The dead letter's detail for a key refused when `full`. */
  get limitDetail(): string {
    return stateLimitDetail(this.maxKeys);
  }

  get size(): number {
    return this.held;
  }

  /** The key's entry, idle or not, when it has one. */
  find(slot: KeySlot): InternedKey<Cell> | undefined {
    return this.entries.get(slot);
  }

  /** A new entry for a key that has none, holding nothing yet. */
  intern(slot: KeySlot, key: WindowKey): InternedKey<Cell> {
    const owned = ownSlot(slot);
    const entry: InternedKey<Cell> = {
      value: ownKey(key, owned),
      holders: 0,
      recent: undefined,
    };
    this.entries.set(owned, entry);
    return entry;
  }

  /** One more window holds state for the key. */
  hold(entry: InternedKey<Cell>): void {
    if (entry.holders++ === 0) this.held++;
  }

  /** A window no longer holds state for the key. */
  release(entry: InternedKey<Cell>): void {
    if (--entry.holders > 0) return;
    this.held--;
    entry.recent = undefined;
    this.idle.push(entry);
  }

  /** Forgets the keys idle since the last sweep that are still idle; before windows go. */
  sweep(): void {
    const { idle, entries } = this;
    if (idle.length === 0) return;
    this.idle = [];
    for (const entry of idle) {
      if (entry.holders === 0) entries.delete(keySlot(entry.value));
    }
  }

  clear(): void {
    this.entries.clear();
    this.held = 0;
    this.idle = [];
  }
}
