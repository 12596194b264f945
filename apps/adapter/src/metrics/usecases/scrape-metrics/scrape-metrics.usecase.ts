import { Inject, Injectable } from '@nestjs/common';
import { ruleInputQueues, type BrokerRegistry } from '@ruleshift/broker';
import type { RuleMetrics } from '@ruleshift/contracts';
import { EventOutbox } from '../../../events/outbox/event-outbox.repository';
import { Clock } from '../../../shared/clock';
import { BROKER_REGISTRY } from '../../../shared/tokens';
import type { JobEntity } from '../../../registry/entities/job.entity';
import { MAX_PAGE_LIMIT, type JobPosition } from '../../../registry/job-page';
import { JobRepository } from '../../../registry/job.repository';
import { RuntimeRepository } from '../../../registry/runtime.repository';
import { ownLoadOf, RuntimeFigures } from '../../../runtimes/runtime-figures';
import { RuleshiftMetrics, type RuleLabels } from '../../ruleshift-metrics';

/**
 * The Prometheus text of ruleshift's metrics: every job that is not UNINSTALLED with the
 * figures its placement last reported and its input backlog (asked of the broker now), every
 * agent with its health and load, the event outbox's backlog, and the operation durations
 * observed so far.
 */
@Injectable()
export class ScrapeMetricsUseCase {
  constructor(
    @Inject(RuleshiftMetrics) private readonly metrics: RuleshiftMetrics,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(RuntimeRepository) private readonly runtimes: RuntimeRepository,
    @Inject(RuntimeFigures) private readonly figures: RuntimeFigures,
    @Inject(BROKER_REGISTRY) private readonly brokers: BrokerRegistry,
    @Inject(EventOutbox) private readonly outbox: EventOutbox,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(_request: Record<string, never> = {}): Promise<{ text: string }> {
    const jobs = await this.liveJobs();
    const backlogs = await Promise.all(jobs.map((job) => this.backlogOf(job)));
    const agents = (await this.runtimes.list()).filter((r) => r.kind === 'edge');
    const outbox = await this.outbox.backlog();
    const m = this.metrics;
    m.resetFigures();
    jobs.forEach((job, i) => {
      const labels: RuleLabels = {
        job_id: job.id,
        job_type: job.jobType,
        runtime: job.runtime,
        target: job.targetResource,
      };
      if (backlogs[i] !== undefined) m.inputBacklog.set(labels, backlogs[i]);
      const figures = this.figures.ruleMetrics(job.runtime, job.targetResource, job.id);
      if (figures) this.setRuleFigures(labels, figures);
    });
    for (const agent of agents) {
      const labels = { agent: agent.targetResource };
      m.agentUp.set(labels, agent.health === 'UP' ? 1 : 0);
      const figures = this.figures.agent(agent.targetResource);
      if (figures?.sharesProcess) m.agentSharesProcess.set(labels, 1);
      const load = ownLoadOf(figures);
      if (!load) continue;
      m.agentSharesProcess.set(labels, 0);
      m.agentCpu.set(labels, load.cpuPercent / 100);
      m.agentMemory.set(labels, load.rssBytes);
    }
    m.outboxPending.set(outbox.pending);
    m.outboxOldestAge.set(
      outbox.oldestCreatedAt
        ? Math.max(0, (this.clock.now().getTime() - outbox.oldestCreatedAt.getTime()) / 1000)
        : 0,
    );
    m.outboxHeadAttempts.set(outbox.headAttempts);
    return { text: await m.registry.metrics() };
  }

  private setRuleFigures(labels: RuleLabels, figures: RuleMetrics): void {
    const m = this.metrics;
    m.eventsIn.inc(labels, figures.eventsIn);
    m.eventsOut.inc(labels, figures.eventsOut);
    for (const [reason, count] of Object.entries(figures.deadLettered)) {
      m.deadLetters.inc({ ...labels, reason }, count);
    }
    if (figures.stateKeys !== undefined) m.stateKeys.set(labels, figures.stateKeys);
    if (typeof figures.watermark === 'number') {
      m.watermarkLag.set(
        labels,
        Math.max(0, (this.clock.now().getTime() - figures.watermark) / 1000),
      );
    }
  }

  private async liveJobs(): Promise<JobEntity[]> {
    const live: JobEntity[] = [];
    let after: JobPosition | undefined;
    do {
      const page = await this.jobs.page({ limit: MAX_PAGE_LIMIT, after });
      live.push(...page.items.filter((job) => job.status !== 'UNINSTALLED'));
      after = page.next;
    } while (after);
    return live;
  }

  /** Undefined when a broker cannot say (down, queue gone): the series is left out. */
  private async backlogOf(job: JobEntity): Promise<number | undefined> {
    try {
      let ready = 0;
      for (const { connector } of ruleInputQueues(job.config)) {
        ready += await (await this.brokers.get(connector.endpoint)).queueDepth(connector.queue);
      }
      return ready;
    } catch {
      return undefined;
    }
  }
}
