import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DEFAULT_HEARTBEAT_INTERVAL_MS } from '@ruleshift/contracts';
import type { DataSource } from 'typeorm';
import type { AdapterModuleOptions } from './adapter-options';
import { AgentControlChannel } from './drivers/edge/agent-control-channel';
import { RpcAgentControlChannel } from './drivers/edge/rpc-agent-control-channel';
import { EventOutbox } from './events/outbox/event-outbox.repository';
import { EventRelay } from './events/outbox/event-relay';
import { AdapterLeadership } from './leadership/adapter-leadership';
import { PeriodicDuty } from './leadership/periodic-duty';
import { PurgeRemovedPipelinesUseCase } from './pipelines/usecases/purge-removed-pipelines/purge-removed-pipelines.usecase';
import { PurgeUninstalledJobsUseCase } from './rules/usecases/purge-uninstalled-jobs/purge-uninstalled-jobs.usecase';
import { ResumePendingMovesUseCase } from './rules/usecases/resume-pending-moves/resume-pending-moves.usecase';
import { HeartbeatListener } from './runtimes/heartbeat-listener';
import { EvaluatePlacementUseCase } from './placement/usecases/evaluate-placement/evaluate-placement.usecase';
import { DEFAULT_PLACEMENT_INTERVAL_MS } from './placement/placement-env';
import { Clock } from './shared/clock';
import { ADAPTER_OPTIONS, REGISTRY_DATA_SOURCE } from './shared/tokens';
import { SyncTemplateCatalogUseCase } from './templates/usecases/sync-template-catalog/sync-template-catalog.usecase';

export const DEFAULT_UNINSTALLED_RETENTION_MS = 7 * 24 * 3600_000;
const RETENTION_SWEEP_INTERVAL_MS = 60_000;
const OUTBOX_RETRY_INTERVAL_MS = 1_000;
export const PUBLISHED_EVENT_RETENTION_MS = 24 * 3600_000;

/**
 * Boot: sync templates (any adapter may), register the active duties, then compete for the
 * registry lease. Only the active adapter recovers orphaned operations (first), consumes
 * heartbeats and sweeps; a standby waits. Shutdown stops the duties and hands the lease back.
 */
@Injectable()
export class AdapterLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AdapterLifecycle.name);

  constructor(
    @Inject(ADAPTER_OPTIONS) private readonly options: AdapterModuleOptions,
    @Inject(SyncTemplateCatalogUseCase) private readonly syncTemplates: SyncTemplateCatalogUseCase,
    @Inject(ResumePendingMovesUseCase) private readonly resumeMoves: ResumePendingMovesUseCase,
    @Inject(PurgeUninstalledJobsUseCase) private readonly purge: PurgeUninstalledJobsUseCase,
    @Inject(PurgeRemovedPipelinesUseCase)
    private readonly purgePipelines: PurgeRemovedPipelinesUseCase,
    @Inject(HeartbeatListener) private readonly heartbeats: HeartbeatListener,
    @Inject(EvaluatePlacementUseCase) private readonly placement: EvaluatePlacementUseCase,
    @Inject(AdapterLeadership) private readonly leadership: AdapterLeadership,
    @Inject(AgentControlChannel) private readonly control: AgentControlChannel,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(REGISTRY_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(EventRelay) private readonly relay: EventRelay,
    @Inject(EventOutbox) private readonly outbox: EventOutbox,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const templates = await this.syncTemplates.execute();
    this.logger.log(`template catalog synced (${templates} templates)`);
    // Recovery first: a new term adopts what a dead one left before anything else runs.
    await this.leadership.register({
      name: 'operation recovery',
      start: async () => {
        await this.resumeMoves.execute();
      },
      stop: () => Promise.resolve(),
    });
    const heartbeatIntervalMs = this.options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    await this.leadership.register({
      name: 'heartbeat listener',
      start: () => this.heartbeats.start(heartbeatIntervalMs),
      stop: () => this.heartbeats.stop(),
    });
    const retentionMs = this.options.uninstalledRetentionMs ?? DEFAULT_UNINSTALLED_RETENTION_MS;
    await this.leadership.register(
      new PeriodicDuty(
        'retention of uninstalled jobs, removed pipelines and published events',
        this.clock,
        RETENTION_SWEEP_INTERVAL_MS,
        async () => {
          const purged = await this.purge.execute({ retentionMs });
          if (purged.length) this.logger.log(`deleted ${purged.length} uninstalled job(s)`);
          const pipelines = await this.purgePipelines.execute({ retentionMs });
          if (pipelines.length) this.logger.log(`deleted ${pipelines.length} removed pipeline(s)`);
          // Published events are kept for a day (what an operator inspecting a delivery
          // problem needs), then deleted.
          await this.outbox.purgePublishedBefore(
            new Date(this.clock.now().getTime() - PUBLISHED_EVENT_RETENTION_MS),
          );
        },
      ),
    );
    // After the heartbeat listener: the policy needs the runtimes' health and load.
    await this.leadership.register(
      new PeriodicDuty(
        'placement policy',
        this.clock,
        this.options.placementIntervalMs ?? DEFAULT_PLACEMENT_INTERVAL_MS,
        async () => {
          await this.placement.execute();
        },
      ),
    );
    // Events a refused publish (or a crash before the publish) left in the outbox go out on
    // the next round.
    await this.leadership.register(
      new PeriodicDuty('event relay', this.clock, OUTBOX_RETRY_INTERVAL_MS, () =>
        this.relay.flush(),
      ),
    );
    await this.leadership.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.leadership.stop();
    if (this.control instanceof RpcAgentControlChannel) await this.control.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    if (this.options.ownsBrokers) await this.options.brokers.closeAll();
  }
}
