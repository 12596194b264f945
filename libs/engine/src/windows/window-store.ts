import type { RuleEmission } from '../edge-rule';
import type { KeyedEvent } from './types';

export type Emit = (emission: RuleEmission) => void;

/** Size of a rule's window state, for metrics and the state limit. */
export interface WindowStateStats {
  /** Distinct keys holding state. */
  keys: number;
  /** Open windows, counted per key (a window with 3 keys counts 3). */
  openWindows: number;
  /** Rough heap estimate of the state. */
  bytes: number;
  /** Events dead-lettered as late so far. */
  late: number;
}

/** The state behind a windowed operator; emissions go through `emit` (no arrays per event). */
export interface WindowStore {
  add(record: KeyedEvent, emit: Emit): void;
  /** The watermark moved to `watermark`: fire and drop windows it passed. */
  advance(watermark: number, emit: Emit): void;
  stats(): WindowStateStats;
}
