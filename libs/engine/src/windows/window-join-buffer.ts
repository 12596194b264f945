import { keySlot } from './key-slot';
import { KeyRegistry } from './key-registry';
import {
  arrayAt,
  invalidSnapshot,
  numberAt,
  objectAt,
  type JoinWindowEntry,
} from './snapshot-state';
import { countUpTo, insertSorted } from './sorted-ends';
import { deadLetter, type KeyedEvent, type KeySlot } from './types';
import { LastWindowStartCache } from './last-window-start-cache';
import { tumblingWindows, type TimeWindows } from './window-assigners';
import type { Emit, WindowStateStats, WindowStore } from './window-store';
import { lateJoinDetail } from '../operators/dead-letter-detail';

export interface WindowJoinOptions {
  readonly windowSizeMs: number;
  readonly maxKeys?: number;
}

/** The output row shared with the Flink jobs. */
export interface JoinResult {
  windowStart: number;
  windowEnd: number;
  key: unknown;
  left: unknown;
  right: unknown;
}

interface JoinCell {
  readonly key: unknown;
  readonly left: unknown[];
  readonly right: unknown[];
}

interface JoinBucket {
  readonly start: number;
  readonly end: number;
  readonly cells: Map<KeySlot, JoinCell>;
}

const CELL_BYTES = 160;
const KEY_BYTES = 48;
/** Buffered events are kept as parsed; their size is not measured per event. */
const EVENT_BYTES = 256;

/**
 * Tumbling event-time window join on key equality. Input 0 is the left side, 1 the right.
 * A pair is emitted as soon as both of its events are in the same window and key; the pairs
 * an arriving event completes come out in the other side's arrival order. A window's
 * buffers are dropped, unmatched events with them, once the watermark reaches its end;
 * an event for a window already closed is a `late` dead letter.
 */
export class WindowJoinBuffer implements WindowStore {
  private readonly windows: TimeWindows;
  private readonly keys: KeyRegistry;
  private readonly buckets = new Map<number, JoinBucket>();
  private readonly ends: number[] = [];
  private watermark = Number.NEGATIVE_INFINITY;
  private cellCount = 0;
  private eventCount = 0;
  private lateCount = 0;
  private readonly starts: LastWindowStartCache;
  /** The bucket of the previous event (in-order input keeps hitting it): skips a Map lookup. */
  private recent?: JoinBucket;

  constructor(options: WindowJoinOptions) {
    this.windows = tumblingWindows(options.windowSizeMs);
    this.keys = new KeyRegistry(options.maxKeys);
    this.starts = new LastWindowStartCache(this.windows);
  }

  add(record: KeyedEvent, emit: Emit): void {
    const { event, slot } = record;
    if (event.input !== 0 && event.input !== 1) {
      return emit(deadLetter('rule-error', `no input ${event.input}`, event.value));
    }
    const start = this.starts.lastStart(record.time);
    const end = start + this.windows.sizeMs;
    if (end <= this.watermark) {
      this.lateCount++;
      return emit(deadLetter('late', lateJoinDetail(record.time, start, end), event.value));
    }
    let bucket = this.recent;
    if (bucket === undefined || bucket.end !== end) {
      bucket = this.buckets.get(end);
      this.recent = bucket;
    }
    let cell = bucket?.cells.get(slot);
    if (!cell) {
      if (!this.keys.admits(slot))
        return emit(deadLetter('rule-error', this.keys.limitDetail, event.value));
      if (!bucket) {
        bucket = { start, end, cells: new Map() };
        this.buckets.set(end, bucket);
        insertSorted(this.ends, end);
        this.recent = bucket;
      }
      cell = { key: record.key, left: [], right: [] };
      bucket.cells.set(slot, cell);
      this.keys.retain(slot);
      this.cellCount++;
    }
    this.eventCount++;
    if (event.input === 0) {
      cell.left.push(event.value);
      for (const right of cell.right) emit(pair(start, end, cell.key, event.value, right));
    } else {
      cell.right.push(event.value);
      for (const left of cell.left) emit(pair(start, end, cell.key, left, event.value));
    }
  }

  advance(watermark: number, _emit: Emit): void {
    if (watermark <= this.watermark) return;
    this.watermark = watermark;
    const closed = countUpTo(this.ends, watermark);
    if (closed === 0) return;
    this.recent = undefined;
    for (let i = 0; i < closed; i++) {
      const bucket = this.buckets.get(this.ends[i])!;
      for (const [slot, cell] of bucket.cells) {
        this.keys.release(slot);
        this.eventCount -= cell.left.length + cell.right.length;
      }
      this.cellCount -= bucket.cells.size;
      this.buckets.delete(bucket.end);
    }
    this.ends.splice(0, closed);
  }

  stats(): WindowStateStats {
    return {
      keys: this.keys.size,
      openWindows: this.cellCount,
      bytes:
        this.cellCount * CELL_BYTES + this.keys.size * KEY_BYTES + this.eventCount * EVENT_BYTES,
      late: this.lateCount,
    };
  }

  snapshot(): JoinWindowEntry[] {
    const entries: JoinWindowEntry[] = [];
    for (const end of this.ends) {
      const bucket = this.buckets.get(end)!;
      for (const cell of bucket.cells.values()) {
        entries.push({
          key: cell.key,
          start: bucket.start,
          end,
          left: [...cell.left],
          right: [...cell.right],
        });
      }
    }
    return entries;
  }

  restore(windows: unknown, watermark: number | null): void {
    this.buckets.clear();
    this.recent = undefined;
    this.ends.length = 0;
    this.keys.clear();
    this.cellCount = 0;
    this.eventCount = 0;
    this.watermark = watermark ?? Number.NEGATIVE_INFINITY;
    arrayAt(windows, 'windows').forEach((raw, i) => {
      const field = `windows[${i}]`;
      const entry = objectAt(raw, field);
      const start = numberAt(entry, 'start', field);
      const end = numberAt(entry, 'end', field);
      if (end !== start + this.windows.sizeMs)
        throw invalidSnapshot(field, 'end must be start + windowSizeMs');
      let bucket = this.buckets.get(end);
      if (!bucket) {
        bucket = { start, end, cells: new Map() };
        this.buckets.set(end, bucket);
        insertSorted(this.ends, end);
      }
      const key = entry.key ?? null;
      const slot = keySlot(key);
      if (bucket.cells.has(slot)) throw invalidSnapshot(field, 'duplicate key in window');
      const left = [...arrayAt(entry.left, `${field}.left`)];
      const right = [...arrayAt(entry.right, `${field}.right`)];
      bucket.cells.set(slot, { key, left, right });
      this.keys.retain(slot);
      this.cellCount++;
      this.eventCount += left.length + right.length;
    });
  }
}

function pair(windowStart: number, windowEnd: number, key: unknown, left: unknown, right: unknown) {
  const value: JoinResult = { windowStart, windowEnd, key, left, right };
  return { kind: 'output' as const, value };
}
