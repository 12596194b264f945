import type { JobEntity } from '../../registry/entities/job.entity';

/** A runtime (candidate `<runtime>/<targetResource>`) as last seen. */
export interface RuntimeReading {
  health: string;
  cpuPercent?: number;
  memoryBytes?: number;
  freeSlots?: number;
}

/** What can be read about one rule now; counters are cumulative, rates come from two readings. */
export interface RuleReading {
  /** When the reading was taken (the sampler's clock), ms. */
  at: number;
  backlog?: number;
  inputConsumers?: number;
  /** Cumulative events consumed and published by the rule's current run, and when counted. */
  eventsIn?: number;
  eventsOut?: number;
  countersAt?: number;
  /**
   * A rate over less time than this is unknown: counters refreshed in steps (Flink's) give a
   * made-up rate over a short window, e.g. the job's first refresh a second after it started.
   */
  minRateWindowMs?: number;
  /** Event-time watermark (window rules), ms. */
  watermark?: number | null;
  /** Flink: how saturated the rule's job is, 0..1. */
  backpressure?: number;
}

/**
 * The load signals the placement service samples (broker queues, agent heartbeats, Flink's
 * overview): the side effects behind one injectable so the service is testable.
 */
export abstract class PlacementSignalSource {
  /** Every registered runtime by candidate name. */
  abstract runtimes(): Promise<Map<string, RuntimeReading>>;
  abstract rule(job: JobEntity): Promise<RuleReading>;
}
