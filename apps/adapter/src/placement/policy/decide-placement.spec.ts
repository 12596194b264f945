import {
  resolvePlacementPolicy,
  type PlacementSignals,
  type PlacementThresholds,
} from '@ruleshift/contracts';
import {
  decidePlacement,
  type CandidateState,
  type PlacementHistory,
  type PlacementInput,
  type PlacementVerdict,
} from './decide-placement';

const NOW = Date.parse('2026-06-01T12:00:00.000Z');
const STEP = 5_000;
const GW1 = 'edge/gw1';
const GW2 = 'edge/gw2';
const FLINK = 'flink/flink';

const thresholds: Partial<PlacementThresholds> = {
  samples: 5,
  breaches: 3,
  backlogHigh: 1000,
  backlogLow: 50,
  backlogGrowthHigh: 500,
  cpuHigh: 85,
  cpuLow: 40,
  cooldownMs: 60_000,
  maxMovesPerRulePerHour: 4,
  maxMovesPerRuntimePerHour: 10,
  failedTargetAvoidMs: 600_000,
  returnRatio: 0.5,
};

const HOT: PlacementSignals = {
  health: 'UP',
  backlog: 5000,
  backlogGrowthPerS: 300,
  eventsInPerS: 800,
};
const CALM: PlacementSignals = {
  health: 'UP',
  backlog: 10,
  backlogGrowthPerS: 0,
  eventsInPerS: 100,
};
const BUSY: PlacementSignals = {
  health: 'UP',
  backlog: 10,
  backlogGrowthPerS: 0,
  eventsInPerS: 700,
};
const LOST: PlacementSignals = { health: 'UNREACHABLE', backlog: 200, inputConsumers: 0 };
const CORE_LINK_LOST: PlacementSignals = { health: 'UNREACHABLE', backlog: 0, inputConsumers: 1 };
const CPU_HOT: PlacementSignals = { health: 'UP', backlog: 0, cpuPercent: 95 };

/** A Flink job at its capacity: nothing waits in its queue yet, its busiest task is saturated. */
const SATURATED: PlacementSignals = {
  health: 'UP',
  backlog: 0,
  eventsInPerS: 3000,
  backpressure: 0.95,
};

const up: CandidateState = { health: 'UP', cpuPercent: 10 };

interface Row {
  name: string;
  current?: string;
  series: PlacementSignals[];
  candidates?: Record<string, CandidateState>;
  history?: Partial<PlacementHistory>;
  policy?: { candidates?: string[]; prefer?: string };
  unfit?: Record<string, string>;
  slotsNeeded?: number;
  expected: Partial<PlacementVerdict> & { reasonMatches?: RegExp };
}

const ago = (ms: number): number => NOW - ms;
const overloadMove = {
  at: ago(10 * 60_000),
  from: GW1,
  to: GW2,
  kind: 'overload' as const,
  capacityPerS: 800,
};

const ROWS: Row[] = [
  { name: 'no sample yet: stays quietly', series: [], expected: { action: 'stay', close: false } },
  {
    name: 'calm at prefer: stays quietly',
    series: [CALM, CALM, CALM, CALM, CALM],
    expected: { action: 'stay', close: false },
  },
  {
    name: 'two hot of five (N=3): stays, close',
    series: [CALM, HOT, CALM, HOT, CALM],
    expected: { action: 'stay', close: true, reasonMatches: /2 of the last 5 .* 3 needed/ },
  },
  {
    name: 'three hot of five: moves to the other candidate',
    series: [HOT, CALM, HOT, CALM, HOT],
    expected: { action: 'move', kind: 'overload', to: GW2, capacityPerS: 800 },
  },
  {
    name: 'an overloaded agent that reported no progress gives no capacity',
    series: [1, 2, 3].map(() => ({ ...HOT, eventsInPerS: 0 })),
    expected: { action: 'move', kind: 'overload', to: GW2, capacityPerS: undefined },
  },
  {
    name: 'hot by backlog growth alone',
    series: [1, 2, 3].map(() => ({ health: 'UP', backlog: 200, backlogGrowthPerS: 600 })),
    expected: { action: 'move', kind: 'overload', to: GW2, reasonMatches: /growing 600\/s/ },
  },
  {
    name: 'a large backlog that shrinks is not overload',
    series: [1, 2, 3, 4, 5].map(() => ({ health: 'UP', backlog: 5000, backlogGrowthPerS: -400 })),
    expected: { action: 'stay', close: false },
  },
  {
    name: 'hot by agent cpu',
    series: [CPU_HOT, CPU_HOT, CPU_HOT],
    expected: { action: 'move', kind: 'overload', to: GW2, reasonMatches: /cpu 95%/ },
  },
  {
    name: 'hot, but in cooldown after the last move',
    series: [HOT, HOT, HOT],
    history: { moves: [{ at: ago(30_000), from: GW2, to: GW1, kind: 'return' }] },
    expected: { action: 'stay', close: true, reasonMatches: /cooldown/ },
  },
  {
    name: 'hot, cooldown over',
    series: [HOT, HOT, HOT],
    history: { moves: [{ at: ago(61_000), from: GW2, to: GW1, kind: 'return' }] },
    expected: { action: 'move', to: GW2 },
  },
  {
    name: 'hot, but the rule already moved maxMovesPerRulePerHour times',
    series: [HOT, HOT, HOT],
    history: {
      moves: [50, 40, 30, 20].map((m) => ({
        at: ago(m * 60_000),
        from: GW1,
        to: GW2,
        kind: 'overload' as const,
      })),
    },
    expected: { action: 'stay', close: true, reasonMatches: /moved 4 times in the last hour/ },
  },
  {
    name: 'moves older than an hour do not count toward the limit',
    series: [HOT, HOT, HOT],
    history: {
      moves: [90, 80, 70, 61].map((m) => ({
        at: ago(m * 60_000),
        from: GW1,
        to: GW2,
        kind: 'overload' as const,
      })),
    },
    expected: { action: 'move', to: GW2 },
  },
  {
    name: 'hot, but its runtime reached maxMovesPerRuntimePerHour',
    series: [HOT, HOT, HOT],
    history: { runtimeMovesLastHour: { [GW1]: 10 } },
    expected: { action: 'stay', close: true, reasonMatches: /edge\/gw1 saw 10 moves/ },
  },
  {
    name: 'hot, the only target reached its runtime limit',
    series: [HOT, HOT, HOT],
    history: { runtimeMovesLastHour: { [GW2]: 10 } },
    expected: {
      action: 'stay',
      close: true,
      reasonMatches: /gw2 reached maxMovesPerRuntimePerHour/,
    },
  },
  {
    name: 'hot, but paused by an operator move',
    series: [HOT, HOT, HOT],
    history: { pausedUntil: NOW + 1000 },
    expected: { action: 'stay', close: true, reasonMatches: /operator moved the rule/ },
  },
  {
    name: 'hot, target failed recently: avoided, next candidate chosen',
    policy: { candidates: [GW1, GW2, FLINK] },
    series: [HOT, HOT, HOT],
    candidates: { [GW1]: up, [GW2]: up, [FLINK]: { health: 'UP', freeSlots: 2 } },
    history: { failedTargets: [{ at: ago(60_000), target: GW2 }] },
    expected: { action: 'move', to: FLINK },
  },
  {
    name: 'hot, the only target failed recently: stays',
    series: [HOT, HOT, HOT],
    history: { failedTargets: [{ at: ago(60_000), target: GW2 }] },
    expected: { action: 'stay', close: true, reasonMatches: /failed recently/ },
  },
  {
    name: 'hot, the target failed long ago: tried again',
    series: [HOT, HOT, HOT],
    history: { failedTargets: [{ at: ago(700_000), target: GW2 }] },
    expected: { action: 'move', to: GW2 },
  },
  {
    name: 'hot, the target is unreachable',
    series: [HOT, HOT, HOT],
    candidates: { [GW1]: up, [GW2]: { health: 'UNREACHABLE' } },
    expected: { action: 'stay', close: true, reasonMatches: /gw2 is UNREACHABLE/ },
  },
  {
    name: 'hot, the target agent is itself overloaded',
    series: [HOT, HOT, HOT],
    candidates: { [GW1]: up, [GW2]: { health: 'UP', cpuPercent: 99 } },
    expected: { action: 'stay', close: true, reasonMatches: /itself at cpu 99%/ },
  },
  {
    name: 'hot, Flink has no free slot',
    policy: { candidates: [GW1, FLINK] },
    series: [HOT, HOT, HOT],
    candidates: { [GW1]: up, [FLINK]: { health: 'UP', freeSlots: 0 } },
    expected: { action: 'stay', close: true, reasonMatches: /no free slot/ },
  },
  {
    name: 'hot, Flink has fewer free slots than the rule has subtasks',
    policy: { candidates: [GW1, FLINK] },
    series: [HOT, HOT, HOT],
    candidates: { [GW1]: up, [FLINK]: { health: 'UP', freeSlots: 1 } },
    slotsNeeded: 2,
    expected: { action: 'stay', close: true, reasonMatches: /1 free slots, the rule needs 2/ },
  },
  {
    name: 'hot, Flink has a free slot for each of its subtasks',
    policy: { candidates: [GW1, FLINK] },
    series: [HOT, HOT, HOT],
    candidates: { [GW1]: up, [FLINK]: { health: 'UP', freeSlots: 2 } },
    slotsNeeded: 2,
    expected: { action: 'move', kind: 'overload', to: FLINK },
  },
  {
    name: 'on Flink, its job saturated (backpressure) in 3 of 5 samples: overload to the next candidate',
    policy: { candidates: [GW1, FLINK, GW2], prefer: GW1 },
    current: FLINK,
    series: [CALM, SATURATED, CALM, SATURATED, SATURATED],
    candidates: { [GW1]: { health: 'UP', cpuPercent: 95 }, [GW2]: up, [FLINK]: up },
    expected: {
      action: 'move',
      kind: 'overload',
      to: GW2,
      reason: '3 of the last 5 samples overloaded (backpressure 0.95 >= 0.8)',
    },
  },
  {
    name: 'on Flink, backpressure under backpressureHigh: not hot',
    policy: { candidates: [GW1, FLINK] },
    current: FLINK,
    series: [
      { ...SATURATED, backpressure: 0.5 },
      { ...SATURATED, backpressure: 0.79 },
    ],
    candidates: { [GW1]: up, [FLINK]: up },
    history: { moves: [{ ...overloadMove, to: FLINK, capacityPerS: 800 }] },
    expected: { action: 'stay', reasonMatches: /away from edge\/gw1/ },
  },
  {
    name: 'hot, the target cannot carry the window state',
    policy: { candidates: [GW1, FLINK] },
    series: [HOT, HOT, HOT],
    candidates: { [GW1]: up, [FLINK]: { health: 'UP', freeSlots: 4 } },
    unfit: { [FLINK]: 'cannot carry the window state (dropState is false)' },
    expected: { action: 'stay', close: true, reasonMatches: /window state/ },
  },
  {
    name: 'samples taken at the previous placement do not count',
    series: [HOT, HOT, HOT],
    current: GW2,
    history: { moves: [overloadMove] },
    expected: { action: 'stay', close: false },
  },
  {
    name: 'away from prefer, five quiet samples under returnRatio x capacity: returns',
    current: GW2,
    series: [CALM, CALM, CALM, CALM, CALM],
    history: { moves: [overloadMove] },
    expected: { action: 'move', kind: 'return', to: GW1 },
  },
  {
    name: 'away from prefer, input still above returnRatio x capacity: stays (no flapping)',
    current: GW2,
    series: [BUSY, BUSY, BUSY, BUSY, BUSY],
    history: { moves: [overloadMove] },
    expected: { action: 'stay', close: false, reasonMatches: /700\/s > 0.5 x 800\/s/ },
  },
  {
    name: 'away from prefer, four of five quiet: stays, close',
    current: GW2,
    series: [BUSY, CALM, CALM, CALM, CALM],
    history: { moves: [overloadMove] },
    expected: { action: 'stay', close: true, reasonMatches: /4 of 5 quiet/ },
  },
  {
    name: 'away from prefer, quiet, but prefer is busy (cpu >= cpuLow)',
    current: GW2,
    series: [CALM, CALM, CALM, CALM, CALM],
    candidates: { [GW1]: { health: 'UP', cpuPercent: 60 }, [GW2]: up },
    history: { moves: [overloadMove] },
    expected: { action: 'stay', close: true, reasonMatches: /cpu 60% >= 40%/ },
  },
  {
    name: 'away from prefer, quiet, in cooldown',
    current: GW2,
    series: [CALM, CALM, CALM, CALM, CALM],
    history: { moves: [{ ...overloadMove, at: ago(20_000) }] },
    expected: { action: 'stay', close: true, reasonMatches: /cooldown/ },
  },
  {
    name: 'away from prefer after an evacuation (capacity unknown): backlog alone decides',
    current: GW2,
    series: [BUSY, BUSY, BUSY, BUSY, BUSY],
    history: { moves: [{ at: ago(600_000), from: GW1, to: GW2, kind: 'evacuate' }] },
    expected: { action: 'move', kind: 'return', to: GW1 },
  },
  {
    name: 'runtime lost in one sample: stays, close',
    series: [CALM, CALM, LOST],
    expected: { action: 'stay', close: true, reasonMatches: /lost in 1 of/ },
  },
  {
    name: 'runtime lost in three samples: evacuates, cooldown and pause ignored',
    series: [LOST, LOST, LOST],
    history: {
      moves: [{ at: ago(5_000), from: GW2, to: GW1, kind: 'return' }],
      pausedUntil: NOW + 60_000,
    },
    expected: { action: 'move', kind: 'evacuate', to: GW2 },
  },
  {
    name: 'agent lost only its core link (still consuming): stays',
    series: [CORE_LINK_LOST, CORE_LINK_LOST, CORE_LINK_LOST, CORE_LINK_LOST, CORE_LINK_LOST],
    expected: { action: 'stay', close: true, reasonMatches: /only the core link is lost/ },
  },
  {
    name: 'lost, and every other candidate is down too',
    series: [LOST, LOST, LOST],
    candidates: { [GW1]: { health: 'UNREACHABLE' }, [GW2]: { health: 'UNREACHABLE' } },
    expected: { action: 'stay', close: true, reasonMatches: /no candidate can take the rule/ },
  },
  {
    name: 'lost on a non-preferred placement: evacuates to prefer',
    policy: { candidates: [GW1, GW2, FLINK] },
    current: GW2,
    series: [LOST, LOST, LOST],
    candidates: { [GW1]: up, [GW2]: { health: 'UNREACHABLE' }, [FLINK]: { health: 'UP' } },
    expected: { action: 'move', kind: 'evacuate', to: GW1 },
  },
];

describe('decidePlacement (series -> decision)', () => {
  it.each(ROWS)('$name', (row) => {
    const current = row.current ?? GW1;
    const policy = resolvePlacementPolicy({
      mode: 'auto',
      candidates: row.policy?.candidates ?? [GW1, GW2],
      prefer: row.policy?.prefer ?? GW1,
      thresholds,
    })!;
    const series = row.series;
    const input: PlacementInput = {
      now: NOW,
      policy,
      current,
      samples: series.map((signals, i) => ({
        at: NOW - (series.length - 1 - i) * STEP,
        placement: row.name.startsWith('samples taken at the previous') ? GW1 : current,
        signals,
      })),
      candidates: row.candidates ?? { [GW1]: up, [GW2]: up },
      unfit: row.unfit,
      slotsNeeded: row.slotsNeeded,
      history: {
        moves: [],
        runtimeMovesLastHour: {},
        failedTargets: [],
        ...row.history,
      },
    };
    const verdict = decidePlacement(input);
    const { reasonMatches, ...expected } = row.expected;
    expect(verdict).toMatchObject(expected);
    if (reasonMatches) expect(verdict.reason).toMatch(reasonMatches);
  });

  it('only the last M samples count: old hot samples age out', () => {
    const policy = resolvePlacementPolicy({ mode: 'auto', candidates: [GW1, GW2], thresholds })!;
    const series = [HOT, HOT, HOT, CALM, CALM, CALM, CALM, CALM];
    const verdict = decidePlacement({
      now: NOW,
      policy,
      current: GW1,
      samples: series.map((signals, i) => ({ at: NOW - (7 - i) * STEP, placement: GW1, signals })),
      candidates: { [GW1]: up, [GW2]: up },
      history: { moves: [], runtimeMovesLastHour: {}, failedTargets: [] },
    });
    expect(verdict).toEqual({ action: 'stay', close: false, reason: expect.any(String) });
  });
});
