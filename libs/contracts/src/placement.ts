import type { FieldError } from './errors';
import { RUNTIME_KINDS, type RuntimeKind } from './job';

/**
 * Placement policies (issue 11): where a rule runs, decided by an operator (`manual`, the
 * default) or by the adapter's placement service from load signals (`auto`). A candidate is
 * written `<runtime>/<targetResource>`, e.g. `edge/gw1` or `flink/flink`.
 */
export const PLACEMENT_MODES = ['manual', 'auto'] as const;
export type PlacementMode = (typeof PLACEMENT_MODES)[number];

/**
 * When a sample counts as overloaded ("hot") or quiet ("cool"), and how the service may act.
 * A threshold of 0 switches its signal off.
 */
export interface PlacementThresholds {
  /** Samples kept (M): the window hysteresis looks at. */
  samples: number;
  /** Hot samples among the last M that make a move (N). */
  breaches: number;
  /** Input backlog (messages ready) at or above which a sample is hot, while not shrinking. */
  backlogHigh: number;
  /** Input backlog at or below which a sample is cool (needed to move back to `prefer`). */
  backlogLow: number;
  /** Backlog growth (messages/s) at or above which a sample is hot whatever the backlog. */
  backlogGrowthHigh: number;
  /** Agent CPU (percent of one core) at or above which a sample is hot. */
  cpuHigh: number;
  /** `prefer`'s agent CPU below which a move back is allowed. */
  cpuLow: number;
  /** Agent resident memory (bytes) at or above which a sample is hot. */
  memoryHighBytes: number;
  /** Processing lag (event-time watermark behind the wall clock, ms) that is hot. */
  lagHighMs: number;
  /**
   * Flink saturation (0..1: the busiest subtask's share of time busy or back-pressured) that
   * is hot.
   */
  backpressureHigh: number;
  /**
   * A move back to `prefer` needs the input rate at or below this share of the throughput the
   * rule had on `prefer` when it was overloaded there (0..1).
   */
  returnRatio: number;
  /** No move (but evacuation) for this long after any move of the rule. */
  cooldownMs: number;
  /** Moves of one rule per rolling hour. */
  maxMovesPerRulePerHour: number;
  /** Moves from or to one runtime per rolling hour (every rule counted). */
  maxMovesPerRuntimePerHour: number;
  /** A target a move to which failed is avoided this long. */
  failedTargetAvoidMs: number;
}

export const DEFAULT_PLACEMENT_THRESHOLDS: Readonly<PlacementThresholds> = Object.freeze({
  samples: 5,
  breaches: 3,
  backlogHigh: 5000,
  backlogLow: 100,
  backlogGrowthHigh: 1000,
  cpuHigh: 85,
  cpuLow: 40,
  memoryHighBytes: 0,
  lagHighMs: 0,
  backpressureHigh: 0.8,
  returnRatio: 0.5,
  cooldownMs: 60_000,
  maxMovesPerRulePerHour: 6,
  maxMovesPerRuntimePerHour: 30,
  failedTargetAvoidMs: 600_000,
});

/** A rule's placement policy as stored and answered. */
export interface PlacementPolicy {
  mode: PlacementMode;
  /** auto: every placement the rule may run on (its current one included), at least two. */
  candidates?: string[];
  /** auto: where the rule runs when nothing argues against it (default: the first candidate). */
  prefer?: string;
  /** auto: decide and record, never move. */
  dryRun?: boolean;
  /**
   * auto: a stateful rule may move dropping its open windows where they cannot move with it
   * (off a lost runtime); between live runtimes they always move with it.
   */
  dropState?: boolean;
  thresholds?: Partial<PlacementThresholds>;
}

/** An auto policy with every default filled in. */
export interface ResolvedPlacementPolicy {
  mode: 'auto';
  candidates: string[];
  prefer: string;
  dryRun: boolean;
  dropState: boolean;
  thresholds: PlacementThresholds;
}

export const placementOf = (
  candidate: string,
): { runtime: RuntimeKind; targetResource: string } => {
  const slash = candidate.indexOf('/');
  return {
    runtime: candidate.slice(0, slash) as RuntimeKind,
    targetResource: candidate.slice(slash + 1),
  };
};

export const candidateOf = (runtime: string, targetResource: string): string =>
  `${runtime}/${targetResource}`;

const THRESHOLD_BOUNDS: Record<
  keyof PlacementThresholds,
  { min: number; max: number; int?: true }
> = {
  samples: { min: 1, max: 100, int: true },
  breaches: { min: 1, max: 100, int: true },
  backlogHigh: { min: 0, max: 1e12 },
  backlogLow: { min: 0, max: 1e12 },
  backlogGrowthHigh: { min: 0, max: 1e12 },
  cpuHigh: { min: 0, max: 100_000 },
  cpuLow: { min: 0, max: 100_000 },
  memoryHighBytes: { min: 0, max: 1e15 },
  lagHighMs: { min: 0, max: 1e12 },
  backpressureHigh: { min: 0, max: 1 },
  returnRatio: { min: 0, max: 1 },
  cooldownMs: { min: 0, max: 7 * 24 * 3600_000 },
  maxMovesPerRulePerHour: { min: 0, max: 10_000, int: true },
  maxMovesPerRuntimePerHour: { min: 0, max: 100_000, int: true },
  failedTargetAvoidMs: { min: 0, max: 7 * 24 * 3600_000 },
};

const CANDIDATE = /^(edge|flink)\/[^/\s]{1,200}$/;
const POLICY_KEYS = ['mode', 'candidates', 'prefer', 'dryRun', 'dropState', 'thresholds'];
const MAX_CANDIDATES = 16;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What is wrong with a placement policy, each error naming its field under `field` (e.g.
 * `placement.thresholds.breaches`; `''` when the policy is the whole body). Empty when valid.
 */
export function placementPolicyErrors(value: unknown, field = 'placement'): FieldError[] {
  if (!isRecord(value)) return [{ field: field || 'body', reason: 'must be an object' }];
  const errors: FieldError[] = [];
  const at = (name: string): string => (field ? `${field}.${name}` : name);
  for (const key of Object.keys(value)) {
    if (!POLICY_KEYS.includes(key))
      errors.push({ field: at(key), reason: 'is not a policy field' });
  }
  if (!PLACEMENT_MODES.includes(value.mode as PlacementMode)) {
    errors.push({ field: at('mode'), reason: `must be one of ${PLACEMENT_MODES.join(', ')}` });
    return errors;
  }
  for (const flag of ['dryRun', 'dropState']) {
    if (value[flag] !== undefined && typeof value[flag] !== 'boolean') {
      errors.push({ field: at(flag), reason: 'must be a boolean' });
    }
  }
  if (value.mode === 'manual') {
    for (const key of ['candidates', 'prefer', 'thresholds']) {
      if (value[key] !== undefined) {
        errors.push({ field: at(key), reason: 'applies to mode auto only' });
      }
    }
    return errors;
  }
  const candidates = value.candidates;
  if (!Array.isArray(candidates) || candidates.length < 2 || candidates.length > MAX_CANDIDATES) {
    errors.push({
      field: at('candidates'),
      reason: `must list 2 to ${MAX_CANDIDATES} placements as "<runtime>/<targetResource>"`,
    });
  } else {
    candidates.forEach((candidate, i) => {
      if (typeof candidate !== 'string' || !CANDIDATE.test(candidate)) {
        errors.push({
          field: at(`candidates[${i}]`),
          reason: `must be "<runtime>/<targetResource>" with runtime one of ${RUNTIME_KINDS.join(', ')}`,
        });
      } else if (candidates.indexOf(candidate) !== i) {
        errors.push({ field: at(`candidates[${i}]`), reason: 'is listed twice' });
      }
    });
  }
  if (value.prefer !== undefined) {
    if (typeof value.prefer !== 'string' || !Array.isArray(candidates)) {
      errors.push({ field: at('prefer'), reason: 'must be one of the candidates' });
    } else if (!candidates.includes(value.prefer)) {
      errors.push({ field: at('prefer'), reason: 'must be one of the candidates' });
    }
  }
  errors.push(...thresholdErrors(value.thresholds, at('thresholds')));
  return errors;
}

function thresholdErrors(value: unknown, field: string): FieldError[] {
  if (value === undefined) return [];
  if (!isRecord(value)) return [{ field, reason: 'must be an object' }];
  const errors: FieldError[] = [];
  for (const [key, given] of Object.entries(value)) {
    const bounds = THRESHOLD_BOUNDS[key as keyof PlacementThresholds] as
      (typeof THRESHOLD_BOUNDS)[keyof PlacementThresholds] | undefined;
    if (!Object.hasOwn(THRESHOLD_BOUNDS, key) || !bounds) {
      errors.push({ field: `${field}.${key}`, reason: 'is not a threshold' });
      continue;
    }
    const ok =
      typeof given === 'number' &&
      Number.isFinite(given) &&
      given >= bounds.min &&
      given <= bounds.max &&
      (!bounds.int || Number.isInteger(given));
    if (!ok) {
      errors.push({
        field: `${field}.${key}`,
        reason: `must be ${bounds.int ? 'an integer' : 'a number'} from ${bounds.min} to ${bounds.max}`,
      });
    }
  }
  if (errors.length > 0) return errors;
  const merged = { ...DEFAULT_PLACEMENT_THRESHOLDS, ...(value as Partial<PlacementThresholds>) };
  if (merged.breaches > merged.samples) {
    errors.push({ field: `${field}.breaches`, reason: 'must not exceed samples' });
  }
  if (merged.backlogHigh > 0 && merged.backlogLow >= merged.backlogHigh) {
    errors.push({ field: `${field}.backlogLow`, reason: 'must be below backlogHigh' });
  }
  if (merged.cpuHigh > 0 && merged.cpuLow >= merged.cpuHigh) {
    errors.push({ field: `${field}.cpuLow`, reason: 'must be below cpuHigh' });
  }
  return errors;
}

/** The policy with defaults filled in; undefined for a manual one. Assumes a valid policy. */
export function resolvePlacementPolicy(
  policy: PlacementPolicy | null | undefined,
): ResolvedPlacementPolicy | undefined {
  if (!policy || policy.mode !== 'auto' || !policy.candidates) return undefined;
  return {
    mode: 'auto',
    candidates: [...policy.candidates],
    prefer: policy.prefer ?? policy.candidates[0],
    dryRun: policy.dryRun ?? false,
    dropState: policy.dropState ?? false,
    thresholds: { ...DEFAULT_PLACEMENT_THRESHOLDS, ...(policy.thresholds ?? {}) },
  };
}

/** What the placement service sampled for a rule (and its placement's runtime) at one time. */
export interface PlacementSignals {
  /** Messages ready in the rule's input queue(s). */
  backlog?: number;
  /** Change of the backlog since the previous sample, messages/s. */
  backlogGrowthPerS?: number;
  eventsInPerS?: number;
  eventsOutPerS?: number;
  /** Event-time watermark behind the wall clock, ms (window rules). */
  lagMs?: number;
  /** Consumers on the rule's input queue(s): a rule still consuming has one or more. */
  inputConsumers?: number;
  /** Health of the runtime the rule is on. */
  health?: string;
  cpuPercent?: number;
  memoryBytes?: number;
  /** Flink: free task slots of the cluster. */
  freeSlots?: number;
  /**
   * Flink: how saturated the rule's job is, 0..1: its busiest subtask's share of time busy or
   * back-pressured (the monitor reads Flink's per-vertex backpressure each round).
   */
  backpressure?: number;
}

/** `move`: the service moved (or, dryRun, would have moved) the rule; `stay`: it came close. */
export type PlacementAction = 'move' | 'stay';

/** One decision, or close non-decision, of the placement service. */
export interface PlacementDecision {
  id: string;
  jobId: string;
  at: string;
  action: PlacementAction;
  /** `overload`, `return` (to prefer), `evacuate` (runtime lost), `hold` (a close non-decision). */
  kind: 'overload' | 'return' | 'evacuate' | 'hold';
  from: string;
  to?: string;
  reason: string;
  dryRun: boolean;
  /** The move's result: `done`, `failed: <why>`; absent for a stay or a dry run. */
  outcome?: string;
  signals: PlacementSignals;
}

/** `GET /api/placement/decisions?jobId=&limit=&before=`: newest first. */
export interface PlacementDecisionQuery {
  jobId?: string;
  limit?: number;
  /** A decision id from the previous page's `nextBefore`. */
  before?: string;
}

export interface PlacementDecisionPage {
  decisions: PlacementDecision[];
  nextBefore: string | null;
}

/** `PUT /api/jobs/{jobId}/placement`. */
export interface SetPlacementRequest {
  jobId: string;
  placement: PlacementPolicy;
}
