import type { PlacementSignals, ResolvedPlacementPolicy } from '@ruleshift/contracts';

/** One sample of a rule's signals, taken where the rule was placed at that time. */
export interface RuleSample {
  at: number;
  placement: string;
  signals: PlacementSignals;
}

/** The latest known state of a candidate's runtime. */
export interface CandidateState {
  health: string;
  cpuPercent?: number;
  memoryBytes?: number;
  freeSlots?: number;
}

export interface PastMove {
  at: number;
  from: string;
  to: string;
  kind: 'overload' | 'return' | 'evacuate';
  /** overload: events/s the rule consumed on `from` while it was overloaded there. */
  capacityPerS?: number;
}

export interface PlacementHistory {
  /** This rule's moves, by the policy or an operator, oldest first. */
  moves: PastMove[];
  /** Moves from or to each placement in the last hour, every rule counted. */
  runtimeMovesLastHour: Record<string, number>;
  /** Moves of this rule by the policy that failed, with their target. */
  failedTargets: { at: number; target: string }[];
  /** An operator's move paused the policy until then. */
  pausedUntil?: number;
}

export interface PlacementInput {
  now: number;
  policy: ResolvedPlacementPolicy;
  current: string;
  /** The rule's samples, oldest first; only those taken at `current` count. */
  samples: RuleSample[];
  /** Latest state of every candidate's runtime (a missing one is unknown, not healthy). */
  candidates: Record<string, CandidateState>;
  /** Candidates the rule cannot run on, with why (template runtimes, window state). */
  unfit?: Record<string, string>;
  /** Task slots the rule takes on a Flink cluster (its parallelism); default 1. */
  slotsNeeded?: number;
  history: PlacementHistory;
}

export type MoveKind = 'overload' | 'return' | 'evacuate';

export type PlacementVerdict =
  | { action: 'move'; kind: MoveKind; to: string; reason: string; capacityPerS?: number }
  /** `close`: something argued for a move (worth recording); otherwise nothing happened. */
  | { action: 'stay'; close: boolean; reason: string };

const HOUR_MS = 3600_000;

const stay = (reason: string, close = true): PlacementVerdict => ({
  action: 'stay',
  close,
  reason,
});

/** Why a sample is overloaded; empty when it is not. */
export function hotReasons(
  signals: PlacementSignals,
  t: ResolvedPlacementPolicy['thresholds'],
): string[] {
  const reasons: string[] = [];
  const growth = signals.backlogGrowthPerS ?? 0;
  if (t.backlogHigh > 0 && (signals.backlog ?? 0) >= t.backlogHigh && growth >= 0) {
    reasons.push(`backlog ${signals.backlog} >= ${t.backlogHigh} and not shrinking`);
  }
  if (t.backlogGrowthHigh > 0 && growth >= t.backlogGrowthHigh) {
    reasons.push(`backlog growing ${Math.round(growth)}/s >= ${t.backlogGrowthHigh}/s`);
  }
  if (t.cpuHigh > 0 && (signals.cpuPercent ?? 0) >= t.cpuHigh) {
    reasons.push(`cpu ${Math.round(signals.cpuPercent ?? 0)}% >= ${t.cpuHigh}%`);
  }
  if (t.memoryHighBytes > 0 && (signals.memoryBytes ?? 0) >= t.memoryHighBytes) {
    reasons.push(`memory ${signals.memoryBytes} B >= ${t.memoryHighBytes} B`);
  }
  if (t.lagHighMs > 0 && (signals.lagMs ?? 0) >= t.lagHighMs) {
    reasons.push(`lag ${signals.lagMs} ms >= ${t.lagHighMs} ms`);
  }
  if (t.backpressureHigh > 0 && (signals.backpressure ?? 0) >= t.backpressureHigh) {
    reasons.push(`backpressure ${signals.backpressure} >= ${t.backpressureHigh}`);
  }
  return reasons;
}

/** A runtime that is not UP and where nothing consumes the rule's input any more. */
const isLost = (signals: PlacementSignals): boolean =>
  signals.health !== undefined && signals.health !== 'UP' && (signals.inputConsumers ?? 0) === 0;

/**
 * The placement policy as a pure function: from a rule's recent samples, its candidates' state
 * and its move history, whether it moves now and where, or why it stays.
 *
 * - evacuate: the rule's runtime is not UP and nothing consumes its input in N of the last M
 *   samples; a rule whose agent lost only its core link still consumes, and stays. Evacuation
 *   ignores cooldown, pause and rate limits (a rule on a dead runtime processes nothing).
 * - overload: N of the last M samples hot (hotReasons) -> the best other candidate.
 * - return: away from `prefer`, the last M samples all cool (backlog <= backlogLow, input rate
 *   <= returnRatio x the throughput it had on `prefer` when it left overloaded) and `prefer`'s
 *   agent below cpuLow -> back to `prefer`.
 * Overload and return wait for the cooldown after the rule's last move and an operator's
 * pause, and respect the per-rule and per-runtime hourly limits. Targets: healthy, fit, not
 * failed within failedTargetAvoidMs, not hot themselves, a Flink cluster with a free slot for
 * each of the rule's subtasks; `prefer` first, then list order.
 */
export function decidePlacement(input: PlacementInput): PlacementVerdict {
  const { policy, current } = input;
  const t = policy.thresholds;
  const recent = input.samples.filter((s) => s.placement === current).slice(-t.samples);
  const latest = recent[recent.length - 1];
  if (!latest) return stay('no sample at the current placement yet', false);

  if (latest.signals.health !== undefined && latest.signals.health !== 'UP') {
    if ((latest.signals.inputConsumers ?? 0) > 0) {
      return stay(
        `${current} is ${latest.signals.health} but the rule still consumes its input ` +
          '(only the core link is lost): it stays',
      );
    }
    const lost = recent.filter((s) => isLost(s.signals)).length;
    if (lost < t.breaches) {
      return stay(`${current} lost in ${lost} of the last ${t.breaches} samples needed`);
    }
    const target = chooseTarget(input, { evacuating: true });
    if (typeof target !== 'string') {
      return stay(`${current} is lost but no candidate can take the rule: ${target.why}`);
    }
    return {
      action: 'move',
      kind: 'evacuate',
      to: target,
      reason: `${current} is ${latest.signals.health} and nothing consumes the rule's input in ${lost} of the last ${recent.length} samples`,
    };
  }

  const hot = recent.map((s) => hotReasons(s.signals, t));
  const hotCount = hot.filter((r) => r.length > 0).length;
  if (hotCount >= t.breaches) {
    const lastHot = [...hot].reverse().find((r) => r.length > 0) ?? [];
    const why = `${hotCount} of the last ${recent.length} samples overloaded (${lastHot.join('; ')})`;
    const gate = gated(input);
    if (gate) return stay(`${why}, but ${gate}`);
    const target = chooseTarget(input, { evacuating: false });
    if (typeof target !== 'string') return stay(`${why}, but ${target.why}`);
    return {
      action: 'move',
      kind: 'overload',
      to: target,
      reason: why,
      capacityPerS: capacityOf(recent, hot),
    };
  }
  if (hotCount > 0) {
    return stay(
      `${hotCount} of the last ${recent.length} samples overloaded, ${t.breaches} needed`,
    );
  }
  if (current === policy.prefer) return stay('at the preferred placement, not overloaded', false);
  return returnVerdict(input, recent);
}

function returnVerdict(input: PlacementInput, recent: RuleSample[]): PlacementVerdict {
  const { policy } = input;
  const t = policy.thresholds;
  const capacity = [...input.history.moves]
    .reverse()
    .find((m) => m.from === policy.prefer && m.kind === 'overload')?.capacityPerS;
  const coolWhy = (s: PlacementSignals): string | undefined => {
    if (s.backlog === undefined) return 'backlog unknown';
    if (s.backlog > t.backlogLow) return `backlog ${s.backlog} > ${t.backlogLow}`;
    if (capacity !== undefined) {
      if (s.eventsInPerS === undefined) return 'input rate unknown';
      const arrival = s.eventsInPerS + Math.max(0, s.backlogGrowthPerS ?? 0);
      const limit = t.returnRatio * capacity;
      if (arrival > limit) {
        return `input ${Math.round(arrival)}/s > ${t.returnRatio} x ${Math.round(capacity)}/s it managed on ${policy.prefer}`;
      }
    }
    return undefined;
  };
  const warm = recent.map((s) => coolWhy(s.signals)).filter((w) => w !== undefined);
  const cool = recent.length - warm.length;
  if (warm.length > 0 || recent.length < t.samples) {
    // Worth recording once most of the window is quiet: the return is near.
    const close = cool >= t.breaches;
    return stay(
      `away from ${policy.prefer}: ${cool} of ${t.samples} quiet samples needed to return` +
        (warm.length > 0 ? ` (${warm[warm.length - 1]})` : ''),
      close,
    );
  }
  const home = input.candidates[policy.prefer];
  const why = `away from ${policy.prefer} and the last ${recent.length} samples quiet`;
  if (!home || home.health !== 'UP') {
    return stay(`${why}, but ${policy.prefer} is ${home?.health ?? 'unknown'}`);
  }
  if (t.cpuLow > 0 && home.cpuPercent !== undefined && home.cpuPercent >= t.cpuLow) {
    return stay(
      `${why}, but ${policy.prefer} is at cpu ${Math.round(home.cpuPercent)}% >= ${t.cpuLow}%`,
    );
  }
  const unfit = input.unfit?.[policy.prefer];
  if (unfit) return stay(`${why}, but ${policy.prefer}: ${unfit}`);
  if (avoided(input, policy.prefer)) {
    return stay(`${why}, but a move to ${policy.prefer} failed recently`);
  }
  const gate = gated(input, policy.prefer);
  if (gate) return stay(`${why}, but ${gate}`);
  return { action: 'move', kind: 'return', to: policy.prefer, reason: why };
}

/** Why an overload or return move may not happen now; undefined when it may. */
function gated(input: PlacementInput, to?: string): string | undefined {
  const { now, history, current } = input;
  const t = input.policy.thresholds;
  if (history.pausedUntil !== undefined && history.pausedUntil > now) {
    return `an operator moved the rule: the policy is paused until ${new Date(history.pausedUntil).toISOString()}`;
  }
  const last = history.moves[history.moves.length - 1];
  if (last && now - last.at < t.cooldownMs) {
    return `in cooldown until ${new Date(last.at + t.cooldownMs).toISOString()} after the last move`;
  }
  const lastHour = history.moves.filter((m) => now - m.at < HOUR_MS).length;
  if (lastHour >= t.maxMovesPerRulePerHour) {
    return `the rule moved ${lastHour} times in the last hour (maxMovesPerRulePerHour ${t.maxMovesPerRulePerHour})`;
  }
  for (const runtime of to ? [current, to] : [current]) {
    const moves = history.runtimeMovesLastHour[runtime] ?? 0;
    if (moves >= t.maxMovesPerRuntimePerHour) {
      return `${runtime} saw ${moves} moves in the last hour (maxMovesPerRuntimePerHour ${t.maxMovesPerRuntimePerHour})`;
    }
  }
  return undefined;
}

const avoided = (input: PlacementInput, target: string): boolean =>
  input.history.failedTargets.some(
    (f) => f.target === target && input.now - f.at < input.policy.thresholds.failedTargetAvoidMs,
  );

/** The best other candidate, or why there is none. */
function chooseTarget(
  input: PlacementInput,
  options: { evacuating: boolean },
): string | { why: string } {
  const { policy, current } = input;
  const t = policy.thresholds;
  const ordered = [policy.prefer, ...policy.candidates.filter((c) => c !== policy.prefer)];
  const refusals: string[] = [];
  for (const candidate of ordered) {
    if (candidate === current) continue;
    const state = input.candidates[candidate];
    const unfit = input.unfit?.[candidate];
    let why: string | undefined;
    if (unfit) why = unfit;
    else if (!state || state.health !== 'UP') why = `is ${state?.health ?? 'unknown'}`;
    else if (avoided(input, candidate)) why = 'a move to it failed recently';
    else if (t.cpuHigh > 0 && (state.cpuPercent ?? 0) >= t.cpuHigh) {
      why = `is itself at cpu ${Math.round(state.cpuPercent ?? 0)}%`;
    } else if (state.freeSlots !== undefined && state.freeSlots < (input.slotsNeeded ?? 1)) {
      why =
        state.freeSlots < 1
          ? 'has no free slot'
          : `has ${state.freeSlots} free slots, the rule needs ${input.slotsNeeded}`;
    } else if (
      !options.evacuating &&
      (input.history.runtimeMovesLastHour[candidate] ?? 0) >= t.maxMovesPerRuntimePerHour
    ) {
      why = 'reached maxMovesPerRuntimePerHour';
    }
    if (!why) return candidate;
    refusals.push(`${candidate} ${why}`);
  }
  return { why: refusals.length ? refusals.join('; ') : 'no other candidate' };
}

/**
 * Mean events/s the rule consumed in its hot samples: what its placement could manage. Only
 * positive rates count: an agent too loaded to report progress between two samples says
 * nothing about its capacity, and a capacity of 0 would keep the rule away from `prefer` for
 * good.
 */
function capacityOf(recent: RuleSample[], hot: string[][]): number | undefined {
  const rates = recent
    .filter((_, i) => hot[i].length > 0)
    .map((s) => s.signals.eventsInPerS)
    .filter((r): r is number => r !== undefined && r > 0);
  if (rates.length === 0) return undefined;
  return rates.reduce((a, b) => a + b, 0) / rates.length;
}
