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
import { ResumePendingMovesUseCase } from './rules/usecases/resume-pending-moves/resume-pending-moves.usecase';
import { HeartbeatListener } from './runtimes/heartbeat-listener';
import { ADAPTER_OPTIONS, REGISTRY_DATA_SOURCE } from './shared/tokens';
import { SyncTemplateCatalogUseCase } from './templates/usecases/sync-template-catalog/sync-template-catalog.usecase';

/** Boot tasks in order (templates, unfinished moves, heartbeats) and an orderly shutdown. */
@Injectable()
export class AdapterLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AdapterLifecycle.name);

  constructor(
    @Inject(ADAPTER_OPTIONS) private readonly options: AdapterModuleOptions,
    @Inject(SyncTemplateCatalogUseCase) private readonly syncTemplates: SyncTemplateCatalogUseCase,
    @Inject(ResumePendingMovesUseCase) private readonly resumeMoves: ResumePendingMovesUseCase,
    @Inject(HeartbeatListener) private readonly heartbeats: HeartbeatListener,
    @Inject(AgentControlChannel) private readonly control: AgentControlChannel,
    @Inject(REGISTRY_DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.runBootTasks === false) return;
    const templates = await this.syncTemplates.execute();
    this.logger.log(`template catalog synced (${templates} templates)`);
    await this.heartbeats.start(this.options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS);
    await this.resumeMoves.execute();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.heartbeats.stop();
    if (this.control instanceof RpcAgentControlChannel) await this.control.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    if (this.options.ownsBrokers) await this.options.brokers.closeAll();
  }
}
