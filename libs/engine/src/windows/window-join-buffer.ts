import { keySlot, ownKey, ownSlot } from './key-slot';
import { KeyRegistry } from './key-registry';
import {
  arrayAt,
  invalidSnapshot,
  numberAt,
  objectAt,
  type JoinWindowEntry,
} from './snapshot-state';
import { countUpTo, insertSorted } from './sorted-ends';
import { deadLetter, type KeyedEvent, type KeySlot, type Output } from './types';
import { LastWindowStartCache } from './last-window-start-cache';
import { tumblingWindows, type TimeWindows } from './window-assigners';
import type { EmissionSink, WindowStateStats, WindowStore } from './window-store';
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

/** A buffered event's value: parsed already, or parsed from its text when read. */
interface Buffered {
  readonly value: unknown;
}

/**
 * An event whose members the parser extracted (its text is checked JSON): only the text is
 * kept, not the event with its received bytes, and the value is parsed at each read (a
 * snapshot, a pair's value) and not kept, so buffered events cost their text alone.
 */
class BufferedText implements Buffered {
  constructor(private readonly text: string) {}

  get value(): unknown {
    return JSON.parse(this.text) as unknown;
  }
}

interface JoinCell {
  readonly key: unknown;
  /** JSON of the key, written once per cell for the pairs' output text. */
  readonly keyJson: string;
  readonly left: Buffered[];
  readonly right: Buffered[];
  /** Each buffered event's text as it came in; undefined when it came from a snapshot. */
  readonly leftText: (string | undefined)[];
  readonly rightText: (string | undefined)[];
}

interface JoinBucket {
  readonly start: number;
  readonly end: number;
  readonly cells: Map<KeySlot, JoinCell>;
}

const CELL_BYTES = 160;
const KEY_BYTES = 48;
/** A buffered event's size is not measured per event. */
const EVENT_BYTES = 256;

/**
 * Tumbling event-time window join on key equality. Input 0 is the left side, 1 the right.
 * A pair is emitted as soon as both of its events are in the same window and key; the pairs
 * an arriving event completes come out in the other side's arrival order. A window's
 * buffers are dropped, unmatched events with them, once the watermark reaches its end;
 * an event for a window already closed is a `late` dead letter.
 *
 * A pair's output carries its JSON text (`raw`) written around the two events' texts as they
 * came in, as the filter forwards an event's bytes: serialising the two parsed events again
 * cost more than the whole rest of the join. The text is the JSON of the pair's value (same
 * members, same order); only the events' own formatting (spacing, number and escape spelling)
 * is kept as received. The pair's value is built only when something reads it (a test, a runner
 * publishing a pair without text): with the template's `fieldPaths`, events are then never
 * parsed whole on the way from input text to output text.
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

  add(record: KeyedEvent, out: EmissionSink): void {
    const { event, slot } = record;
    if (event.input !== 0 && event.input !== 1) {
      return out.next(deadLetter('rule-error', `no input ${event.input}`, event.value));
    }
    const start = this.starts.lastStart(record.time);
    const end = start + this.windows.sizeMs;
    if (end <= this.watermark) {
      this.lateCount++;
      return out.next(deadLetter('late', lateJoinDetail(record.time, start, end), event.value));
    }
    let bucket = this.recent;
    if (bucket === undefined || bucket.end !== end) {
      bucket = this.buckets.get(end);
      this.recent = bucket;
    }
    let cell = bucket?.cells.get(slot);
    if (!cell) {
      if (!this.keys.admits(slot))
        return out.next(deadLetter('rule-error', this.keys.limitDetail, event.value));
      if (!bucket) {
        bucket = { start, end, cells: new Map() };
        this.buckets.set(end, bucket);
        insertSorted(this.ends, end);
        this.recent = bucket;
      }
      const owned = ownSlot(slot);
      cell = newCell(ownKey(record.key, owned), [], []);
      bucket.cells.set(owned, cell);
      this.keys.retain(owned);
      this.cellCount++;
    }
    this.eventCount++;
    const text = textOf(event.raw);
    const buffered: Buffered =
      event.fields !== undefined && text !== undefined
        ? new BufferedText(text)
        : { value: event.value };
    if (event.input === 0) {
      cell.left.push(buffered);
      cell.leftText.push(text);
      for (let i = 0; i < cell.right.length; i++) {
        out.next(new JoinPair(start, end, cell, buffered, text, cell.right[i], cell.rightText[i]));
      }
    } else {
      cell.right.push(buffered);
      cell.rightText.push(text);
      for (let i = 0; i < cell.left.length; i++) {
        out.next(new JoinPair(start, end, cell, cell.left[i], cell.leftText[i], buffered, text));
      }
    }
  }

  advance(watermark: number, _out: EmissionSink): void {
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
          left: cell.left.map(valueOf),
          right: cell.right.map(valueOf),
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
      const left = arrayAt(entry.left, `${field}.left`).map(restored);
      const right = arrayAt(entry.right, `${field}.right`).map(restored);
      bucket.cells.set(slot, newCell(key, left, right));
      this.keys.retain(slot);
      this.cellCount++;
      this.eventCount += left.length + right.length;
    });
  }
}

const valueOf = (buffered: Buffered): unknown => buffered.value;
const restored = (value: unknown): Buffered => ({ value });

function newCell(key: unknown, left: Buffered[], right: Buffered[]): JoinCell {
  return {
    key,
    keyJson: JSON.stringify(key),
    left,
    right,
    leftText: left.map(() => undefined),
    rightText: right.map(() => undefined),
  };
}

function textOf(raw: Buffer | string | undefined): string | undefined {
  return raw === undefined || typeof raw === 'string' ? raw : raw.toString('utf8');
}

/** A pair's output: its text at once, its value (both events' values) when first read. */
class JoinPair implements Output {
  readonly kind = 'output';
  readonly raw: string | undefined;
  private readonly key: unknown;
  private built: JoinResult | undefined;

  constructor(
    private readonly windowStart: number,
    private readonly windowEnd: number,
    cell: JoinCell,
    private readonly left: Buffered,
    leftText: string | undefined,
    private readonly right: Buffered,
    rightText: string | undefined,
  ) {
    this.key = cell.key;
    this.raw =
      leftText === undefined || rightText === undefined
        ? undefined
        : `{"windowStart":${windowStart},"windowEnd":${windowEnd},"key":${cell.keyJson},` +
          `"left":${leftText},"right":${rightText}}`;
  }

  get value(): JoinResult {
    this.built ??= {
      windowStart: this.windowStart,
      windowEnd: this.windowEnd,
      key: this.key,
      left: this.left.value,
      right: this.right.value,
    };
    return this.built;
  }
}
