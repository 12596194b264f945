/**
 * Every fused stage of the engine hands each subscription an observer whose methods are the
 * same function objects: V8 keeps optimised code only while a function object holding it
 * lives, so per-subscription closures lost it at a full collection between subscriptions
 * (see `Stage`), and a rule restarted or moved ran unoptimised until V8 compiled it again.
 */
import { Subject, Subscription, type Observer, type OperatorFunction } from 'rxjs';
import type { RuleEmission } from '../edge-rule';
import { applyToEvents } from './apply-to-events';
import { fusedHead, stagesOn } from './fused-observable';
import { parseJson } from './parse-json';
import { perEvent } from './per-event';
import { assignEventTime } from '../windows/assign-event-time';
import { assignProcessingTime } from '../windows/assign-processing-time';
import { eventTimeWatermarks } from '../windows/event-time-watermarks';
import { keyBy } from '../windows/key-by';
import { driveWindowStore } from '../windows/drive-window-store';
import type { WindowStore } from '../windows/window-store';

const sink: Observer<unknown> = { next() {}, error() {}, complete() {} };
const store: WindowStore = {
  add() {},
  advance() {},
  stats: () => ({ keys: 0, openWindows: 0, bytes: 0, late: 0 }),
};

const operators: [string, OperatorFunction<never, unknown>][] = [
  ['parseJson', parseJson({ fieldPaths: ['$.ts'] })],
  [
    'perEvent',
    perEvent(
      (item: unknown) => item,
      () => undefined,
    ),
  ],
  ['assignEventTime', assignEventTime({ timeOf: () => 0, path: '$.ts' })],
  ['assignProcessingTime', assignProcessingTime({ now: () => 0 })],
  ['eventTimeWatermarks', eventTimeWatermarks()],
  ['keyBy', keyBy({ keyOf: () => 'k', path: '$.k' })],
  ['driveWindowStore', driveWindowStore(store)],
  [
    'applyToEvents',
    applyToEvents(
      (source) => source as unknown as ReturnType<OperatorFunction<never, RuleEmission>>,
    ),
  ],
];

/** The observer the operator's stage feeds for one subscription. */
function stageObserver(operator: OperatorFunction<never, unknown>): Observer<never> {
  const head = new Subject<never>();
  const stage = stagesOn(operator(fusedHead(head)), head);
  if (stage === undefined) throw new Error('not a fused operator');
  return stage(sink, new Subscription());
}

describe.each(operators)('the %s stage', (_name, operator) => {
  it('gives every subscription the same next, error and complete functions', () => {
    const first = stageObserver(operator);
    const second = stageObserver(operator);
    expect(second).not.toBe(first);
    expect(typeof first.next).toBe('function');
    expect(second.next).toBe(first.next);
    expect(second.error).toBe(first.error);
    expect(second.complete).toBe(first.complete);
  });
});

describe('the driveWindowStore stage', () => {
  it('hands the store the downstream observer itself, not a function made per subscription', () => {
    const sinks: unknown[] = [];
    const recording: WindowStore = {
      add: (_record, out) => void sinks.push(out),
      advance: (_watermark, out) => void sinks.push(out),
      stats: store.stats,
    };
    const head = new Subject<never>();
    const stage = stagesOn(driveWindowStore(recording)(fusedHead(head)), head)!;
    const observer = stage(sink, new Subscription()) as Observer<unknown>;
    observer.next({ kind: 'keyed', time: 1, key: 'k', slot: 0, event: {} });
    observer.next({ kind: 'watermark', time: 2 });
    expect(sinks).toEqual([sink, sink]);
    expect(sinks[0]).toBe(sink);
  });
});
