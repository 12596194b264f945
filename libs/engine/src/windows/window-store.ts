import type { RuleEmission } from '../edge-rule';
import type { KeyedEvent } from './types';

/**
 * Where a store's emissions go: the downstream stage itself. An object whose `next` is a
 * prototype method, not a function made per subscription: a store's optimised code that
 * inlined such a function kept it only weakly and was thrown away with every subscription
 * that ended (V8 "weak objects" deoptimisation), so each new subscription recompiled it.
 */
export interface EmissionSink {
  next(emission: RuleEmission): void;
}

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

/** The state behind a windowed operator; emissions go to `out` (no arrays per event). */
export interface WindowStore {
  add(record: KeyedEvent, out: EmissionSink): void;
  /** The watermark moved to `watermark`: fire and drop windows it passed. */
  advance(watermark: number, out: EmissionSink): void;
  stats(): WindowStateStats;
}
