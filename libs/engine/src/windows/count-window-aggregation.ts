import { accumulate, aggregateResult, emptyAccumulator, type AggregateKind } from './accumulator';
import { keySlot, ownKey, ownSlot } from './key-slot';
import { KeyRegistry } from './key-registry';
import { readNumber, type NumericField } from './numeric-field';
import {
  arrayAt,
  invalidSnapshot,
  numberAt,
  objectAt,
  type CountWindowEntry,
} from './snapshot-state';
import { deadLetter, type KeyedEvent, type KeySlot } from './types';
import type { CountWindows } from './window-assigners';
import type { EmissionSink, WindowStateStats, WindowStore } from './window-store';

export interface CountWindowAggregationOptions {
  readonly windows: CountWindows;
  readonly aggregate: AggregateKind;
  readonly field?: NumericField;
  readonly maxKeys?: number;
}

interface KeyBuffer {
  readonly key: unknown;
  seen: number;
  /** Times and values of the events that a future window still needs, in arrival order. */
  readonly times: number[];
  readonly values: number[];
}

const BUFFER_BYTES = 160;
const ELEMENT_BYTES = 16;

/**
 * Count windows per key, in arrival order: window j holds events j*slide .. j*slide+size-1
 * of its key and fires when its last event arrives. windowStart/windowEnd are the smallest
 * and largest time among its events. Watermarks do not apply: no event is late, and an
 * incomplete count window never fires, not even at end of input (as Flink's countWindow).
 */
export class CountWindowAggregation implements WindowStore {
  private readonly keys: KeyRegistry;
  private readonly buffers = new Map<KeySlot, KeyBuffer>();
  private elementCount = 0;

  constructor(private readonly options: CountWindowAggregationOptions) {
    if (options.aggregate !== 'count' && !options.field) {
      throw new RangeError(`aggregate ${options.aggregate} needs a field`);
    }
    this.keys = new KeyRegistry(options.maxKeys);
  }

  add(record: KeyedEvent, out: EmissionSink): void {
    const { aggregate, field, windows } = this.options;
    let value = 0;
    if (aggregate !== 'count' && field) {
      const read = readNumber(field, record.event);
      if (typeof read !== 'number') return out.next(read);
      value = read;
    }
    let buffer = this.buffers.get(record.slot);
    if (!buffer) {
      if (!this.keys.admits(record.slot)) {
        return out.next(deadLetter('rule-error', this.keys.limitDetail, record.event.value));
      }
      const owned = ownSlot(record.slot);
      buffer = { key: ownKey(record.key, owned), seen: 0, times: [], values: [] };
      this.buffers.set(owned, buffer);
      this.keys.retain(owned);
    }
    buffer.seen++;
    buffer.times.push(record.time);
    buffer.values.push(value);
    this.elementCount++;
    const { size, slide } = windows;
    if (buffer.seen >= size && (buffer.seen - size) % slide === 0) this.fire(buffer, out);
    this.trim(record.slot, buffer);
  }

  advance(_watermark: number, _out: EmissionSink): void {
    // Count windows fire on counts only.
  }

  stats(): WindowStateStats {
    return {
      keys: this.keys.size,
      openWindows: this.buffers.size,
      bytes: this.buffers.size * BUFFER_BYTES + this.elementCount * ELEMENT_BYTES,
      late: 0,
    };
  }

  snapshot(): CountWindowEntry[] {
    const tracksValues = this.options.aggregate !== 'count';
    return [...this.buffers.values()].map((buffer) => ({
      key: buffer.key,
      seen: buffer.seen,
      elements: buffer.times.map((time, i) => ({
        time,
        value: tracksValues ? buffer.values[i] : null,
      })),
    }));
  }

  restore(countWindows: unknown): void {
    this.buffers.clear();
    this.keys.clear();
    this.elementCount = 0;
    arrayAt(countWindows, 'countWindows').forEach((raw, i) => {
      const field = `countWindows[${i}]`;
      const entry = objectAt(raw, field);
      const key = entry.key ?? null;
      const slot = keySlot(key);
      if (this.buffers.has(slot)) throw invalidSnapshot(field, 'duplicate key');
      const buffer: KeyBuffer = {
        key,
        seen: numberAt(entry, 'seen', field),
        times: [],
        values: [],
      };
      arrayAt(entry.elements, `${field}.elements`).forEach((rawElement, j) => {
        const elementField = `${field}.elements[${j}]`;
        const element = objectAt(rawElement, elementField);
        buffer.times.push(numberAt(element, 'time', elementField));
        buffer.values.push(element.value === null ? 0 : numberAt(element, 'value', elementField));
      });
      this.buffers.set(slot, buffer);
      this.keys.retain(slot);
      this.elementCount += buffer.times.length;
    });
  }

  private fire(buffer: KeyBuffer, out: EmissionSink): void {
    const { aggregate, windows } = this.options;
    const from = buffer.times.length - windows.size;
    const acc = emptyAccumulator();
    let start = Infinity;
    let end = -Infinity;
    for (let i = from; i < buffer.times.length; i++) {
      accumulate(acc, buffer.values[i]);
      if (buffer.times[i] < start) start = buffer.times[i];
      if (buffer.times[i] > end) end = buffer.times[i];
    }
    out.next({ kind: 'output', value: aggregateResult(aggregate, buffer.key, start, end, acc) });
  }

  /** Drops events no future window of this key contains; forgets the key when none remain. */
  private trim(slot: KeySlot, buffer: KeyBuffer): void {
    const { size, slide } = this.options.windows;
    const { seen } = buffer;
    const nextWindow = seen >= size ? Math.floor((seen - size) / slide) + 1 : 0;
    const keep = Math.max(0, Math.min(buffer.times.length, seen - nextWindow * slide));
    const drop = buffer.times.length - keep;
    if (drop > 0) {
      buffer.times.splice(0, drop);
      buffer.values.splice(0, drop);
      this.elementCount -= drop;
    }
    if (keep === 0 && seen % slide === 0) {
      this.buffers.delete(slot);
      this.keys.release(slot);
    }
  }
}
