/** A run of one input on fake brokers, for the settlement strategies' unit tests. */
import type { RuleSnapshot } from '@ruleshift/contracts';
import { FakeBrokerConnection, FakeConsumer } from './fake-broker';
import { InputBinding } from '../runner/input-binding';
import type { SettlementRun } from '../runner/settlement';

export function settlementRunFixture(prefetch = 8) {
  const edge = new FakeBrokerConnection('edge');
  const core = new FakeBrokerConnection('core');
  const binding = new InputBinding(
    0,
    { endpoint: 'edge', exchange: 'sensors', queue: 'sensors.q', routingKey: 'temp' },
    edge,
  );
  const consumer = new FakeConsumer('sensors.q', () => undefined, { prefetch });
  binding.consumer = consumer;
  const failures: unknown[] = [];
  const checkpointed: RuleSnapshot[] = [];
  const state = { count: 0 };
  const run: SettlementRun = {
    jobId: 'job-1',
    bindings: [binding],
    output: core,
    prefetch,
    snapshot: () => ({
      format: 'ruleshift.snapshot/v1',
      jobId: 'job-1',
      jobType: 'counter',
      templateVersion: '1.0.0',
      takenAt: new Date(0).toISOString(),
      watermark: null,
      state: { ...state },
    }),
    checkpointed: (snapshot) => checkpointed.push(snapshot),
    publishFailed: (error) => failures.push(error),
    isRunning: () => failures.length === 0,
  };
  return { edge, core, binding, consumer, failures, checkpointed, state, run };
}
