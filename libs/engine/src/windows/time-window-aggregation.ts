import {
  accumulate,
  aggregateResult,
  tracksExtremes,
  type AggregateKind,
  type Totals,
} from './accumulator';
import { keySlot } from './key-slot';
import { InternedKeys, type InternedKey } from './interned-keys';
import { readNumber, type NumericField } from './numeric-field';
import {
  arrayAt,
  invalidSnapshot,
  nullableNumberAt,
  numberAt,
  objectAt,
  type TimeWindowEntry,
} from './snapshot-state';
import { countUpTo, insertSorted } from './sorted-ends';
import { deadLetter, type KeyedEvent } from './types';
import { LastWindowStartCache } from './last-window-start-cache';
import { firstWindowStartFrom, type TimeWindows } from './window-assigners';
import type { EmissionSink, WindowStateStats, WindowStore } from './window-store';
import { lateDetail } from '../operators/dead-letter-detail';

export interface TimeWindowAggregationOptions {
  readonly windows: TimeWindows;
  readonly aggregate: AggregateKind;
  /** The aggregated field; absent for `count`, which needs no value. */
  readonly field?: NumericField;
  readonly allowedLatenessMs?: number;
  readonly maxKeys?: number;
}

interface Cell extends Totals {
  readonly key: InternedKey<Cell>;
  /** Its window: whether the key's `recent` cell is the one an event's window holds. */
  readonly bucket: Bucket;
}

interface Bucket {
  readonly start: number;
  readonly end: number;
  readonly cells: Map<InternedKey<Cell>, Cell>;
}

// Rough V8 sizes: a cell object with 4 fields (6 with min and max, each a boxed double) plus its
// Map entry; a bucket with its Map.
const CELL_BYTES = 112;
const KEY_BYTES = 48;
const BUCKET_BYTES = 200;

/**
 * Tumbling and sliding time-window aggregation. Windows are kept per window end (one Map per
 * window from each interned key to its cell) with the ends in a sorted array: a watermark fires
 * and drops windows from the front of that array, never scanning keys that have nothing to fire.
 * An event looks its key up once (InternedKeys), not once per window.
 *
 * A window fires when the watermark reaches its end. A late event whose window is still
 * within `allowedLatenessMs` updates it and re-emits that key's result at once; when every
 * window of an event is past `end + allowedLatenessMs` the event is a `late` dead letter.
 */
export class TimeWindowAggregation implements WindowStore {
  readonly allowedLatenessMs: number;
  private readonly keys: InternedKeys<Cell>;
  private readonly buckets = new Map<number, Bucket>();
  /** Ends of live buckets, ascending; the first `firedCount` are fired (end <= watermark). */
  private readonly ends: number[] = [];
  private firedCount = 0;
  private watermark = Number.NEGATIVE_INFINITY;
  private cellCount = 0;
  private lateCount = 0;
  private readonly lastStarts: LastWindowStartCache;
  /**
   * The buckets the previous event went to, by position in its loop (in-order input keeps
   * hitting the same one or two): skips a Map lookup keyed by a non-small-integer number.
   */
  private recent: (Bucket | undefined)[] = [];
  /** Whether cells keep min and max (see Totals). */
  private readonly extremes: boolean;

  constructor(private readonly options: TimeWindowAggregationOptions) {
    this.allowedLatenessMs = options.allowedLatenessMs ?? 0;
    if (!(this.allowedLatenessMs >= 0)) throw new RangeError('allowedLatenessMs must be >= 0');
    if (options.aggregate !== 'count' && !options.field) {
      throw new RangeError(`aggregate ${options.aggregate} needs a field`);
    }
    this.keys = new InternedKeys(options.maxKeys);
    this.extremes = tracksExtremes(options.aggregate);
    this.lastStarts = new LastWindowStartCache(options.windows);
  }

  add(record: KeyedEvent, out: EmissionSink): void {
    const { windows, aggregate, field } = this.options;
    let value = 0;
    if (aggregate !== 'count' && field) {
      const read = readNumber(field, record.event);
      if (typeof read !== 'number') return out.next(read);
      value = read;
    }
    const { time, slot } = record;
    let key = this.keys.find(slot);
    const last = this.lastStarts.lastStart(time);
    const recent = this.recent;
    let accepted = false;
    let position = 0;
    for (
      let start = firstWindowStartFrom(windows, time, last);
      start <= last;
      start += windows.slideMs, position++
    ) {
      const end = start + windows.sizeMs;
      if (end + this.allowedLatenessMs <= this.watermark) continue;
      let bucket = recent[position];
      if (bucket === undefined || bucket.end !== end) {
        bucket = this.buckets.get(end);
        recent[position] = bucket;
      }
      let cell = key?.recent;
      // An unopened window (bucket undefined) is no cell's.
      if (cell === undefined || cell.bucket !== bucket) {
        if (key === undefined || key.holders === 0) {
          if (this.keys.full)
            return out.next(deadLetter('rule-error', this.keys.limitDetail, record.event.value));
          key ??= this.keys.intern(slot, record.key);
        }
        cell = bucket?.cells.get(key);
        if (!cell) {
          if (!bucket) {
            bucket = this.openBucket(start, end);
            recent[position] = bucket;
          }
          cell = this.newCell(key, bucket, 0, 0, Infinity, -Infinity);
          bucket.cells.set(key, cell);
          this.keys.hold(key);
          this.cellCount++;
        }
        key.recent = cell;
      }
      accepted = true;
      if (aggregate === 'count') cell.count++;
      else accumulate(cell, value);
      if (end <= this.watermark) out.next(this.result(cell, start, end));
    }
    if (!accepted) {
      this.lateCount++;
      out.next(deadLetter('late', lateDetail(time, this.allowedLatenessMs), record.event.value));
    }
  }

  advance(watermark: number, out: EmissionSink): void {
    if (watermark <= this.watermark) return;
    this.watermark = watermark;
    const { ends } = this;
    while (this.firedCount < ends.length && ends[this.firedCount] <= watermark) {
      const bucket = this.buckets.get(ends[this.firedCount++])!;
      for (const cell of bucket.cells.values())
        out.next(this.result(cell, bucket.start, bucket.end));
    }
    const expired = countUpTo(ends, watermark - this.allowedLatenessMs);
    if (expired === 0) return;
    for (let i = 0; i < expired; i++) this.dropBucket(ends[i]);
    ends.splice(0, expired);
    this.firedCount -= expired;
  }

  stats(): WindowStateStats {
    return {
      keys: this.keys.size,
      openWindows: this.cellCount,
      bytes:
        this.cellCount * CELL_BYTES + this.keys.size * KEY_BYTES + this.buckets.size * BUCKET_BYTES,
      late: this.lateCount,
    };
  }

  snapshot(): TimeWindowEntry[] {
    const entries: TimeWindowEntry[] = [];
    for (const end of this.ends) {
      const bucket = this.buckets.get(end)!;
      for (const cell of bucket.cells.values()) {
        entries.push({
          key: cell.key.value,
          start: bucket.start,
          end: bucket.end,
          count: cell.count,
          sum: cell.sum,
          min: cell.min !== undefined && Number.isFinite(cell.min) ? cell.min : null,
          max: cell.max !== undefined && Number.isFinite(cell.max) ? cell.max : null,
        });
      }
    }
    return entries;
  }

  /** Replaces the state; windows whose end the watermark passed count as already fired. */
  restore(windows: unknown, watermark: number | null): void {
    this.buckets.clear();
    this.recent.length = 0;
    this.ends.length = 0;
    this.keys.clear();
    this.cellCount = 0;
    this.watermark = watermark ?? Number.NEGATIVE_INFINITY;
    arrayAt(windows, 'windows').forEach((raw, i) => {
      const field = `windows[${i}]`;
      const entry = objectAt(raw, field);
      const start = numberAt(entry, 'start', field);
      const end = numberAt(entry, 'end', field);
      if (end <= start) throw invalidSnapshot(field, 'end must be after start');
      const bucket = this.buckets.get(end) ?? this.openBucket(start, end);
      const slot = keySlot(entry.key ?? null);
      const key = this.keys.find(slot) ?? this.keys.intern(slot, entry.key ?? null);
      if (bucket.cells.has(key)) throw invalidSnapshot(field, 'duplicate key in window');
      bucket.cells.set(
        key,
        this.newCell(
          key,
          bucket,
          numberAt(entry, 'count', field),
          numberAt(entry, 'sum', field),
          nullableNumberAt(entry, 'min', field) ?? Infinity,
          nullableNumberAt(entry, 'max', field) ?? -Infinity,
        ),
      );
      this.keys.hold(key);
      this.cellCount++;
    });
    this.firedCount = countUpTo(this.ends, this.watermark);
  }

  /** A cell; min and max only when the aggregate reads them (two shapes, one per rule). */
  private newCell(
    key: InternedKey<Cell>,
    bucket: Bucket,
    count: number,
    sum: number,
    min: number,
    max: number,
  ): Cell {
    return this.extremes ? { key, bucket, count, sum, min, max } : { key, bucket, count, sum };
  }

  private openBucket(start: number, end: number): Bucket {
    const bucket: Bucket = { start, end, cells: new Map() };
    this.buckets.set(end, bucket);
    // A window opened behind the watermark (late data) is fired from birth.
    insertSorted(this.ends, end);
    if (end <= this.watermark) this.firedCount++;
    return bucket;
  }

  private dropBucket(end: number): void {
    this.recent.length = 0;
    const bucket = this.buckets.get(end)!;
    this.keys.sweep();
    for (const key of bucket.cells.keys()) {
      // A key whose last event went to this window out of order still holds a later one: its
      // recent cell would keep this whole window, every key's cell in it, reachable.
      if (key.recent?.bucket === bucket) key.recent = undefined;
      this.keys.release(key);
    }
    this.cellCount -= bucket.cells.size;
    this.buckets.delete(end);
  }

  private result(cell: Cell, start: number, end: number) {
    return {
      kind: 'output' as const,
      value: aggregateResult(this.options.aggregate, cell.key.value, start, end, cell),
    };
  }
}
