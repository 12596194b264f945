import { Inject, Injectable } from '@nestjs/common';
import { ruleInputQueues, type BrokerRegistry } from '@ruleshift/broker';
import { candidateOf } from '@ruleshift/contracts';
import type { JobEntity } from '../../registry/entities/job.entity';
import { RuntimeRepository } from '../../registry/runtime.repository';
import { ownLoadOf, RuntimeFigures } from '../../runtimes/runtime-figures';
import { Clock } from '../../shared/clock';
import { BROKER_REGISTRY } from '../../shared/tokens';
import {
  PlacementSignalSource,
  type RuleReading,
  type RuntimeReading,
} from './placement-signal-source';

/**
 * Flink refreshes the counters it serves every 10 s (`metrics.fetcher.update-interval`) and
 * RuntimeFigures times them by their first read, so a rate normally spans a refresh interval;
 * a shorter one comes from the job's first refresh just after it started and says nothing.
 */
export const FLINK_MIN_RATE_WINDOW_MS = 5_000;

/**
 * The signals: runtime health from the registry; agent CPU, memory and per-rule counters from
 * the last heartbeat (RuntimeFigures); Flink's free slots from the cluster overview and a Flink
 * rule's counters and backpressure from the job's REST metrics, both as the Flink monitor last
 * read them (FLINK_MONITOR_INTERVAL_MS); backlog and consumers of the rule's input queue(s)
 * asked of the broker now.
 */
@Injectable()
export class LivePlacementSignalSource extends PlacementSignalSource {
  constructor(
    @Inject(RuntimeRepository) private readonly runtimeRows: RuntimeRepository,
    @Inject(RuntimeFigures) private readonly figures: RuntimeFigures,
    @Inject(BROKER_REGISTRY) private readonly brokers: BrokerRegistry,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    super();
  }

  async runtimes(): Promise<Map<string, RuntimeReading>> {
    const readings = new Map<string, RuntimeReading>();
    for (const runtime of await this.runtimeRows.list()) {
      const reading: RuntimeReading = { health: runtime.health };
      if (runtime.kind === 'edge') {
        // An agent sharing its process (npm start) has no load of its own to weigh.
        const load = ownLoadOf(this.figures.agent(runtime.targetResource));
        if (load) {
          reading.cpuPercent = load.cpuPercent;
          reading.memoryBytes = load.rssBytes;
        }
      } else if (typeof runtime.details.slotsAvailable === 'number') {
        reading.freeSlots = runtime.details.slotsAvailable;
      }
      readings.set(candidateOf(runtime.kind, runtime.targetResource), reading);
    }
    return readings;
  }

  async rule(job: JobEntity): Promise<RuleReading> {
    const reading: RuleReading = { at: this.clock.now().getTime() };
    try {
      let backlog = 0;
      let consumers = 0;
      for (const { connector } of ruleInputQueues(job.config)) {
        const broker = await this.brokers.get(connector.endpoint);
        backlog += await broker.queueDepth(connector.queue);
        consumers += await broker.queueConsumers(connector.queue);
      }
      reading.backlog = backlog;
      reading.inputConsumers = consumers;
    } catch {
      // A broker that cannot say (down, queue gone): the sample has no backlog.
    }
    if (job.runtime === 'edge') {
      const agent = this.figures.agent(job.targetResource);
      const metrics = agent?.rules.find((r) => r.jobId === job.id)?.metrics;
      if (agent && metrics) {
        reading.eventsIn = metrics.eventsIn;
        reading.eventsOut = metrics.eventsOut;
        reading.countersAt = Date.parse(agent.sentAt);
        reading.watermark = metrics.watermark;
      }
    } else {
      const flink = this.figures.flinkRule(job.targetResource, job.id);
      if (flink) {
        reading.eventsIn = flink.metrics.eventsIn;
        reading.eventsOut = flink.metrics.eventsOut;
        reading.countersAt = flink.at.getTime();
        reading.minRateWindowMs = FLINK_MIN_RATE_WINDOW_MS;
        if (flink.backpressure !== undefined) reading.backpressure = flink.backpressure;
      }
    }
    return reading;
  }
}
