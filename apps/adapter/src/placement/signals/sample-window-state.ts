import type { PlacementSignals } from '@ruleshift/contracts';
import type { RuleSample } from '../policy/decide-placement';
import type { RuleReading } from './placement-signal-source';

/**
 * One rule's sample window as the registry keeps it (`job_placement.samples`): its samples,
 * the last raw reading (rates and growth of the next sample are taken from it) and the rates
 * of the last sample, at the placement they were taken at.
 */
export interface SampleWindowState {
  placement: string;
  reading: RuleReading;
  samples: RuleSample[];
  lastRates: Pick<PlacementSignals, 'eventsInPerS' | 'eventsOutPerS'>;
}
