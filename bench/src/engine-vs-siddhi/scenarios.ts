/**
 * The throughput benchmarks and the memory run: one template configuration each, the Siddhi
 * harness's matching bench and parameters (none where Siddhi has no equivalent), the input
 * shape and the canonical output line.
 */
import { businessRulesJobProps } from '../business-rules-set';
import { aggregationLine, businessRulesLine, filterLine, joinLine } from './canonical';
import type { InputShape } from './sensor-input';

export type SiddhiBench = 'filter' | 'tumbling' | 'sliding' | 'count' | 'join';

export interface Scenario {
  name: string;
  jobType: 'filter' | 'window-aggregation' | 'window-join' | 'business-rules';
  jobProps: Record<string, unknown>;
  /** Null where Siddhi cannot express the template (siddhiConstruct says why). */
  siddhiBench: SiddhiBench | null;
  siddhiParams: Record<string, unknown>;
  /** 2 for joins: even lines are the left input (0), odd lines the right input (1). */
  inputs: 1 | 2;
  shape: (events: number) => InputShape;
  /** Method syntax on purpose: each scenario narrows the output type it reads. */
  canonicalLine(output: unknown): string;
  /** ruleshift / Siddhi events-per-second ratio to reach. */
  targetRatio: number;
  /** How the Siddhi app expresses the template's semantics, or why it cannot. */
  siddhiConstruct: string;
}

export const KEYS = 1000;
export const MEMORY_KEYS = 100_000;

const eventTime = { timeFieldJsonPath: '$.ts', groupByJsonPath: '$.deviceId' };

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'filter',
    jobType: 'filter',
    jobProps: { condition: '>', threshold: 25, fieldName: 'temperature' },
    siddhiBench: 'filter',
    siddhiParams: { threshold: 25 },
    inputs: 1,
    shape: (events) => ({ events, keys: KEYS, eventsPerMs: 1, eventsPerKeySlot: 1 }),
    canonicalLine: filterLine,
    targetRatio: 1.5,
    siddhiConstruct: 'In[temperature > 25.0]',
  },
  {
    name: 'tumbling avg by key',
    jobType: 'window-aggregation',
    jobProps: {
      aggregate: 'avg',
      fieldJsonPath: '$.temperature',
      window: { kind: 'tumbling', time: 'event', sizeMs: 1000 },
      ...eventTime,
    },
    siddhiBench: 'tumbling',
    siddhiParams: { aggregate: 'avg', sizeMs: 1000 },
    inputs: 1,
    // 10 events per key per 1 s window.
    shape: (events) => ({ events, keys: KEYS, eventsPerMs: 10, eventsPerKeySlot: 1 }),
    canonicalLine: aggregationLine,
    targetRatio: 1.5,
    siddhiConstruct: 'externalTimeBatch(ts, 1000, 0) group by deviceId',
  },
  {
    name: 'sliding sum by key',
    jobType: 'window-aggregation',
    jobProps: {
      aggregate: 'sum',
      fieldJsonPath: '$.temperature',
      window: { kind: 'sliding', time: 'event', sizeMs: 2000, slideMs: 1000 },
      ...eventTime,
    },
    siddhiBench: 'sliding',
    siddhiParams: { aggregate: 'sum', sizeMs: 2000, slideMs: 1000 },
    inputs: 1,
    shape: (events) => ({ events, keys: KEYS, eventsPerMs: 10, eventsPerKeySlot: 1 }),
    canonicalLine: aggregationLine,
    targetRatio: 1.5,
    // Siddhi's sliding windows (externalTime) emit per event, not per hop; two batch windows
    // staggered by the slide give exactly the hopping windows.
    siddhiConstruct: '2 x externalTimeBatch(ts, 2000, 0|1000) group by deviceId',
  },
  {
    name: 'count avg by key',
    jobType: 'window-aggregation',
    jobProps: {
      aggregate: 'avg',
      fieldJsonPath: '$.temperature',
      window: { kind: 'count', size: 10 },
      ...eventTime,
    },
    siddhiBench: 'count',
    siddhiParams: { aggregate: 'avg', size: 10 },
    inputs: 1,
    // 200 events per key: 20 full windows of 10 per key, none left incomplete.
    shape: (events) => ({ events, keys: KEYS, eventsPerMs: 10, eventsPerKeySlot: 1 }),
    canonicalLine: aggregationLine,
    targetRatio: 1.5,
    siddhiConstruct: 'partition by deviceId: lengthBatch(10), min(ts)/max(ts) as window bounds',
  },
  {
    name: 'window join on key',
    jobType: 'window-join',
    jobProps: {
      leftKeyJsonPath: '$.deviceId',
      rightKeyJsonPath: '$.deviceId',
      timeFieldJsonPath: '$.ts',
      windowSizeMs: 1000,
    },
    siddhiBench: 'join',
    // Partitioned by key: Siddhi's fastest form of this join (same pairs as without).
    siddhiParams: { windowSizeMs: 1000, partitioned: true },
    inputs: 2,
    // Per 1 s window each key gets one left and one right event: one pair per key.
    shape: (events) => ({ events, keys: KEYS, eventsPerMs: 2, eventsPerKeySlot: 2 }),
    canonicalLine: joinLine,
    targetRatio: 1,
    siddhiConstruct:
      'partition by deviceId: externalTime(ts, 1000) join on key and same tumbling window start',
  },
  {
    name: 'business rules (10 rules)',
    jobType: 'business-rules',
    jobProps: businessRulesJobProps(),
    siddhiBench: null,
    siddhiParams: {},
    inputs: 1,
    shape: (events) => ({ events, keys: KEYS, eventsPerMs: 1, eventsPerKeySlot: 1 }),
    canonicalLine: businessRulesLine,
    targetRatio: 0,
    siddhiConstruct:
      'none: one output per event carrying the tags of every matching rule, and a set field, ' +
      'needs the rules applied in order to one event; Siddhi queries each emit their own events',
  },
];

/** Window state of MEMORY_KEYS keys: one event per key, all in one still-open tumbling window. */
export const MEMORY_SCENARIO: Scenario = {
  ...SCENARIOS[1],
  name: `tumbling state, ${MEMORY_KEYS} keys`,
  shape: () => ({ events: MEMORY_KEYS, keys: MEMORY_KEYS, eventsPerMs: 200, eventsPerKeySlot: 1 }),
};
