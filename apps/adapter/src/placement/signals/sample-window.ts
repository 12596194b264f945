import { Injectable } from '@nestjs/common';
import type { PlacementSignals } from '@ruleshift/contracts';
import type { RuleSample } from '../policy/decide-placement';
import type { RuleReading, RuntimeReading } from './placement-signal-source';
import type { SampleWindowState } from './sample-window-state';

/** Samples kept per rule at most, whatever a policy's `samples` says. */
export const MAX_SAMPLES = 100;

/** Rates of an entry's last sample are reused while the counters have not been reported again. */
type Entry = SampleWindowState;

const perSecond = (delta: number, ms: number): number => (delta * 1000) / ms;

/**
 * The rules' recent samples, in the active adapter's memory: rates and growth come from two
 * consecutive readings at the same placement (a move or a restarted counter starts afresh).
 * The placement service keeps each rule's window in the registry after every sample and an
 * adapter taking over seeds its windows from there (seed), so a failover does not start them
 * from zero.
 */
@Injectable()
export class SampleWindow {
  private readonly entries = new Map<string, Entry>();

  has(jobId: string): boolean {
    return this.entries.has(jobId);
  }

  /** The rule's window as kept in the registry; undefined before its first sample. */
  state(jobId: string): SampleWindowState | undefined {
    return this.entries.get(jobId);
  }

  /**
   * Starts a rule's window from a kept one (another adapter's), leaving out samples taken
   * before `since`: they say nothing about the rule now.
   */
  seed(jobId: string, kept: SampleWindowState, since: number): void {
    const samples = kept.samples.filter((s) => s.at >= since);
    // The reading is the last sample's: it is recent whenever any sample is.
    if (samples.length > 0) this.entries.set(jobId, { ...kept, samples });
  }

  /** Turns a reading into a sample, keeps it, and returns the rule's samples, oldest first. */
  add(
    jobId: string,
    placement: string,
    reading: RuleReading,
    runtime: RuntimeReading | undefined,
  ): RuleSample[] {
    const previous = this.entries.get(jobId);
    const same = previous?.placement === placement ? previous : undefined;
    const signals: PlacementSignals = {};
    if (reading.backlog !== undefined) signals.backlog = reading.backlog;
    if (reading.inputConsumers !== undefined) signals.inputConsumers = reading.inputConsumers;
    const before = same?.reading;
    if (before?.backlog !== undefined && reading.backlog !== undefined && reading.at > before.at) {
      signals.backlogGrowthPerS = perSecond(
        reading.backlog - before.backlog,
        reading.at - before.at,
      );
    }
    const rates = this.rates(same, reading);
    Object.assign(signals, rates);
    if (typeof reading.watermark === 'number')
      signals.lagMs = Math.max(0, reading.at - reading.watermark);
    if (reading.backpressure !== undefined) signals.backpressure = reading.backpressure;
    if (runtime) {
      signals.health = runtime.health;
      if (runtime.cpuPercent !== undefined) signals.cpuPercent = runtime.cpuPercent;
      if (runtime.memoryBytes !== undefined) signals.memoryBytes = runtime.memoryBytes;
      if (runtime.freeSlots !== undefined) signals.freeSlots = runtime.freeSlots;
    }
    const samples = [...(same?.samples ?? []), { at: reading.at, placement, signals }].slice(
      -MAX_SAMPLES,
    );
    this.entries.set(jobId, { placement, reading, samples, lastRates: rates });
    return samples;
  }

  /** Forgets rules no longer evaluated (uninstalled, stopped, policy gone). */
  retain(jobIds: ReadonlySet<string>): void {
    for (const jobId of this.entries.keys()) if (!jobIds.has(jobId)) this.entries.delete(jobId);
  }

  private rates(
    same: Entry | undefined,
    reading: RuleReading,
  ): Pick<PlacementSignals, 'eventsInPerS' | 'eventsOutPerS'> {
    const before = same?.reading;
    if (
      !before ||
      before.countersAt === undefined ||
      reading.countersAt === undefined ||
      before.eventsIn === undefined ||
      reading.eventsIn === undefined
    ) {
      return {};
    }
    if (reading.countersAt === before.countersAt) return same.lastRates;
    const ms = reading.countersAt - before.countersAt;
    // A counter that went back is a new run of the rule: no rate from this pair.
    if (ms <= 0 || reading.eventsIn < before.eventsIn) return {};
    if (reading.minRateWindowMs !== undefined && ms < reading.minRateWindowMs) return {};
    const rates: Pick<PlacementSignals, 'eventsInPerS' | 'eventsOutPerS'> = {
      eventsInPerS: perSecond(reading.eventsIn - before.eventsIn, ms),
    };
    if (
      reading.eventsOut !== undefined &&
      before.eventsOut !== undefined &&
      reading.eventsOut >= before.eventsOut
    ) {
      rates.eventsOutPerS = perSecond(reading.eventsOut - before.eventsOut, ms);
    }
    return rates;
  }
}
