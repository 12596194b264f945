/**
 * The business-rules benchmarks' rule set (bench/src/system/engine-business-rules and
 * bench:engine): 10 rules of 2-3 comparisons over the ~200-byte sensor payload, each adding a
 * tag and some setting a severity; about half the events match some rule.
 */
export type Cmp = { path: string; op: '>' | '<' | '=' | '!=' | 'in'; value: unknown };
export interface BenchRule {
  name: string;
  conditions: Cmp[];
  tag: string;
  severity?: string;
}

export const RULES: BenchRule[] = [
  {
    name: 'hot',
    conditions: [gt('temperature', 30), lt('humidity', 60)],
    tag: 'hot',
    severity: 'high',
  },
  { name: 'humid', conditions: [gt('humidity', 65), gt('temperature', 20)], tag: 'humid' },
  {
    name: 'cold',
    conditions: [lt('temperature', 17), eq('status', 'nominal-operating-range-ok')],
    tag: 'cold',
  },
  {
    name: 'plant',
    conditions: [
      eq('site', 'turin-plant-2/building-c/floor-3'),
      gt('temperature', 33),
      lt('humidity', 50),
    ],
    tag: 'plant',
  },
  {
    name: 'firmware',
    conditions: [ne('firmware', 'v4.2.17-edge-gateway-release'), gt('temperature', 0)],
    tag: 'old-firmware',
  },
  {
    name: 'device',
    conditions: [
      within('deviceId', ['device-00001', 'device-00002', 'device-00003']),
      gt('humidity', 0),
    ],
    tag: 'watched',
  },
  {
    name: 'band',
    conditions: [gt('temperature', 24), lt('temperature', 26), gt('humidity', 55)],
    tag: 'band',
  },
  {
    name: 'dry',
    conditions: [lt('humidity', 42), gt('temperature', 18)],
    tag: 'dry',
    severity: 'low',
  },
  {
    name: 'status',
    conditions: [ne('status', 'nominal-operating-range-ok'), gt('humidity', 0)],
    tag: 'status',
  },
  {
    name: 'edge',
    conditions: [gt('seq', -1), eq('temperature', 34), gt('humidity', 68)],
    tag: 'edge',
  },
];

function gt(field: string, value: number): Cmp {
  return { path: `$.${field}`, op: '>', value };
}
function lt(field: string, value: number): Cmp {
  return { path: `$.${field}`, op: '<', value };
}
function eq(field: string, value: unknown): Cmp {
  return { path: `$.${field}`, op: '=', value };
}
function ne(field: string, value: unknown): Cmp {
  return { path: `$.${field}`, op: '!=', value };
}
function within(field: string, value: unknown[]): Cmp {
  return { path: `$.${field}`, op: 'in', value };
}

/** The template's jobProps for RULES: tags, severity set, no chaining, unmatched forwarded. */
export function businessRulesJobProps(): Record<string, unknown> {
  return {
    rules: RULES.map((rule) => ({
      name: rule.name,
      priority: 0,
      when: { all: rule.conditions },
      then: [
        { tag: rule.tag },
        ...(rule.severity ? [{ set: '$.severity', value: rule.severity }] : []),
      ],
    })),
    chain: false,
    chainLimit: 10,
    onNoMatch: 'forward',
  };
}
