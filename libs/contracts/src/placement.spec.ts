import {
  DEFAULT_PLACEMENT_THRESHOLDS,
  placementPolicyErrors,
  resolvePlacementPolicy,
} from './placement';

describe('placementPolicyErrors', () => {
  it.each([
    [{ mode: 'manual' }],
    [{ mode: 'manual', dryRun: false }],
    [{ mode: 'auto', candidates: ['edge/gw1', 'flink/flink'] }],
    [
      {
        mode: 'auto',
        candidates: ['edge/gw1', 'edge/gw2', 'flink/flink'],
        prefer: 'edge/gw2',
        dryRun: true,
        dropState: true,
        thresholds: { samples: 10, breaches: 10, backlogHigh: 0, cooldownMs: 0 },
      },
    ],
  ])('accepts %j', (policy) => {
    expect(placementPolicyErrors(policy)).toEqual([]);
  });

  it.each([
    ['not an object', 'auto', [['placement', 'must be an object']]],
    ['an unknown mode', { mode: 'sometimes' }, [['placement.mode', /must be one of manual, auto/]]],
    [
      'auto fields on manual',
      { mode: 'manual', prefer: 'edge/gw1' },
      [['placement.prefer', /auto only/]],
    ],
    [
      'one candidate',
      { mode: 'auto', candidates: ['edge/gw1'] },
      [['placement.candidates', /2 to 16/]],
    ],
    [
      'a malformed and a twice-listed candidate',
      { mode: 'auto', candidates: ['edge/gw1', 'mars/x', 'edge/gw1'] },
      [
        ['placement.candidates[1]', /runtime one of edge, flink/],
        ['placement.candidates[2]', 'is listed twice'],
      ],
    ],
    [
      'prefer outside the candidates',
      { mode: 'auto', candidates: ['edge/gw1', 'edge/gw2'], prefer: 'edge/gw3' },
      [['placement.prefer', 'must be one of the candidates']],
    ],
    [
      'bad thresholds',
      {
        mode: 'auto',
        candidates: ['edge/gw1', 'edge/gw2'],
        thresholds: { samples: 1.5, returnRatio: 2, speed: 1, cpuHigh: '90' },
      },
      [
        ['placement.thresholds.samples', 'must be an integer from 1 to 100'],
        ['placement.thresholds.returnRatio', 'must be a number from 0 to 1'],
        ['placement.thresholds.speed', 'is not a threshold'],
        ['placement.thresholds.cpuHigh', 'must be a number from 0 to 100000'],
      ],
    ],
    [
      'inconsistent thresholds',
      {
        mode: 'auto',
        candidates: ['edge/gw1', 'edge/gw2'],
        thresholds: { samples: 3, breaches: 4, backlogLow: 9000, cpuLow: 90 },
      },
      [
        ['placement.thresholds.breaches', 'must not exceed samples'],
        ['placement.thresholds.backlogLow', 'must be below backlogHigh'],
        ['placement.thresholds.cpuLow', 'must be below cpuHigh'],
      ],
    ],
    [
      'an unknown field',
      { mode: 'manual', owner: 'x' },
      [['placement.owner', 'is not a policy field']],
    ],
    [
      'a non-boolean dryRun',
      { mode: 'manual', dryRun: 'yes' },
      [['placement.dryRun', 'must be a boolean']],
    ],
  ] as const)('refuses %s, naming each field', (_name, policy, expected) => {
    expect(placementPolicyErrors(policy)).toEqual(
      expected.map(([field, reason]) => ({
        field,
        reason: typeof reason === 'string' ? reason : expect.stringMatching(reason),
      })),
    );
  });

  it('names fields from the root when the policy is the whole body', () => {
    expect(placementPolicyErrors({ mode: 'auto' }, '')).toEqual([
      { field: 'candidates', reason: expect.any(String) },
    ]);
  });
});

describe('resolvePlacementPolicy', () => {
  it('fills in prefer and every default; manual resolves to nothing', () => {
    expect(resolvePlacementPolicy({ mode: 'manual' })).toBeUndefined();
    expect(
      resolvePlacementPolicy({
        mode: 'auto',
        candidates: ['edge/gw1', 'flink/flink'],
        thresholds: { cooldownMs: 5 },
      }),
    ).toEqual({
      mode: 'auto',
      candidates: ['edge/gw1', 'flink/flink'],
      prefer: 'edge/gw1',
      dryRun: false,
      dropState: false,
      thresholds: { ...DEFAULT_PLACEMENT_THRESHOLDS, cooldownMs: 5 },
    });
  });
});
