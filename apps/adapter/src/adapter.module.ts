import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SigningKey } from '@ruleshift/identity';
import { ACCESS_PROVIDERS } from './access/access-providers';
import { AdapterSigningKey } from './agents/adapter-signing-key';
import { AgentKeys } from './agents/agent-keys';
import { AGENT_PROVIDERS } from './agents/agents-providers';
import { EnrolmentController } from './agents/enrolment.controller';
import { RefusedTraffic } from './agents/refused-traffic';

import { PIPELINE_PROVIDERS } from './pipelines/pipeline-providers';
import { PLACEMENT_PROVIDERS } from './placement/placement-providers';
import type { AdapterModuleOptions } from './adapter-options';
import { AdapterLifecycle } from './adapter-lifecycle';
import { DriverRegistry } from './drivers/driver-registry';
import { AgentControlChannel } from './drivers/edge/agent-control-channel';
import { EdgeRuntimeDriver } from './drivers/edge/edge-runtime-driver';
import { RpcAgentControlChannel } from './drivers/edge/rpc-agent-control-channel';
import { FlinkJobDriver, flinkRuntimeProviders } from './drivers/flink';
import { CheckHealthUseCase } from './health/usecases/check-health/check-health.usecase';
import { openRegistryDataSource } from './registry/data-source.factory';
import { DataSourceProbe, DatabaseProbe } from './registry/database-probe';
import { JobRepository, TypeormJobRepository } from './registry/job.repository';
import {
  MoveOperationRepository,
  TypeormMoveOperationRepository,
} from './registry/move-operation.repository';
import { OperationOwner } from './registry/operation-owner';
import { RegistryRetry } from './registry/registry-retry';
import { RegistryLease, TypeormRegistryLease } from './registry/registry-lease';
import { RuntimeRepository, TypeormRuntimeRepository } from './registry/runtime.repository';
import {
  AdapterLeadership,
  DEFAULT_LEADERSHIP_TIMING,
  systemLeadershipTimer,
} from './leadership/adapter-leadership';
import { PurgeUninstalledJobsUseCase } from './rules/usecases/purge-uninstalled-jobs/purge-uninstalled-jobs.usecase';
import { TemplateRepository, TypeormTemplateRepository } from './registry/template.repository';
import { BrokerDeadLetterDrops } from './rules/broker-dead-letter-drops';
import { BrokerDeadLetterQueues } from './rules/broker-dead-letter-queues';
import { DeadLetterQueues } from './rules/dead-letter-queues';
import { ListDeadLettersUseCase } from './rules/usecases/list-dead-letters/list-dead-letters.usecase';
import { PurgeDeadLettersUseCase } from './rules/usecases/purge-dead-letters/purge-dead-letters.usecase';
import { ReplayDeadLettersUseCase } from './rules/usecases/replay-dead-letters/replay-dead-letters.usecase';
import { BrokerRuleTopology } from './rules/broker-rule-topology';
import { DeadLetterDrops } from './rules/dead-letter-drops';
import { BrokerEventPublisher } from './events/broker-event-publisher';
import { EventPublisher } from './events/event-publisher';
import { EventOutbox, TypeormEventOutbox } from './events/outbox/event-outbox.repository';
import { EventRelay } from './events/outbox/event-relay';
import { InstallationCheck } from './rules/installation-check';
import { JobAccess } from './rules/job-access';
import { MoveProcedure } from './rules/move/move-procedure';
import { MoveStarter } from './rules/move/move-starter';
import { RuleTopology } from './rules/rule-topology';
import { GetJobConfigUseCase } from './rules/usecases/get-job-config/get-job-config.usecase';
import { GetJobUseCase } from './rules/usecases/get-job/get-job.usecase';
import { InstallJobUseCase } from './rules/usecases/install-job/install-job.usecase';
import { ListJobsUseCase } from './rules/usecases/list-jobs/list-jobs.usecase';
import { RelocateJobUseCase } from './rules/usecases/relocate-job/relocate-job.usecase';
import { ResumePendingMovesUseCase } from './rules/usecases/resume-pending-moves/resume-pending-moves.usecase';
import { StartJobUseCase } from './rules/usecases/start-job/start-job.usecase';
import { StopJobUseCase } from './rules/usecases/stop-job/stop-job.usecase';
import { UninstallJobUseCase } from './rules/usecases/uninstall-job/uninstall-job.usecase';
import { HeartbeatListener } from './runtimes/heartbeat-listener';
import { HeartbeatVerifier } from './runtimes/heartbeat-verifier';
import { RuntimeAvailability } from './runtimes/runtime-availability';
import { RuntimeFigures } from './runtimes/runtime-figures';
import { ListRuntimesUseCase } from './runtimes/usecases/list-runtimes/list-runtimes.usecase';
import { RecordHeartbeatUseCase } from './runtimes/usecases/record-heartbeat/record-heartbeat.usecase';
import { SweepUnreachableRuntimesUseCase } from './runtimes/usecases/sweep-unreachable-runtimes/sweep-unreachable-runtimes.usecase';
import { RetireStrayRulesUseCase } from './runtimes/usecases/retire-stray-rules/retire-stray-rules.usecase';
import { Clock, SystemClock } from './shared/clock';
import {
  ADAPTER_OPTIONS,
  BROKER_REGISTRY,
  REGISTRY_DATA_SOURCE,
  TEMPLATE_CATALOG,
} from './shared/tokens';
import { ArtifactController } from './templates/artifact.controller';
import { ArtifactSignatures } from './templates/artifact-signatures';
import { ListTemplatesUseCase } from './templates/usecases/list-templates/list-templates.usecase';
import { SyncTemplateCatalogUseCase } from './templates/usecases/sync-template-catalog/sync-template-catalog.usecase';
import { AdapterHandlers } from './transport/adapter-handlers';
import { AdapterMetricsController } from './metrics/adapter-metrics.controller';
import { RuleshiftMetrics } from './metrics/ruleshift-metrics';
import { ScrapeMetricsUseCase } from './metrics/usecases/scrape-metrics/scrape-metrics.usecase';
import { AdapterRequestServer } from './transport/adapter-request-server';
import { InProcessAdapterClient } from './transport/in-process-adapter-client';
import { DEFAULT_AGENT_RPC_TIMEOUT_MS } from './drivers/edge/rpc-agent-control-channel';
import { ADAPTER_CLIENT, DEFAULT_DEAD_LETTER_MAX_LENGTH } from '@ruleshift/contracts';

const USE_CASES = [
  InstallJobUseCase,
  StartJobUseCase,
  StopJobUseCase,
  UninstallJobUseCase,
  RelocateJobUseCase,
  ResumePendingMovesUseCase,
  GetJobUseCase,
  ListJobsUseCase,
  GetJobConfigUseCase,
  ListDeadLettersUseCase,
  ReplayDeadLettersUseCase,
  PurgeDeadLettersUseCase,
  RecordHeartbeatUseCase,
  SweepUnreachableRuntimesUseCase,
  RetireStrayRulesUseCase,
  ListRuntimesUseCase,
  ListTemplatesUseCase,
  SyncTemplateCatalogUseCase,
  CheckHealthUseCase,
  PurgeUninstalledJobsUseCase,
  ScrapeMetricsUseCase,
];

/**
 * The adapter μ-service as a Nest module. Hosts: apps/adapter/src/main.ts (own process, which
 * starts AdapterRequestServer on the core broker) and the standalone process (in-process
 * client). It serves GET /artifacts/... on the host's HTTP server.
 */
@Module({})
export class AdapterModule {
  static forRoot(options: AdapterModuleOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: ADAPTER_OPTIONS, useValue: options },
      { provide: BROKER_REGISTRY, useValue: options.brokers },
      { provide: TEMPLATE_CATALOG, useValue: options.templates },
      { provide: Clock, useValue: options.clock ?? new SystemClock() },
      {
        provide: REGISTRY_DATA_SOURCE,
        useFactory: () => openRegistryDataSource(options.database),
      },
      {
        provide: RegistryLease,
        useFactory: (ds: DataSource) => new TypeormRegistryLease(ds),
        inject: [REGISTRY_DATA_SOURCE],
      },
      {
        provide: AdapterLeadership,
        useFactory: (lease: RegistryLease) =>
          new AdapterLeadership(
            lease,
            options.leadership ?? DEFAULT_LEADERSHIP_TIMING,
            systemLeadershipTimer,
            // Embedded PGlite: no other process can have the registry open.
            !options.database.url,
          ),
        inject: [RegistryLease],
      },
      { provide: OperationOwner, useExisting: AdapterLeadership },
      {
        provide: JobRepository,
        useFactory: (ds: DataSource, owner: OperationOwner, lease: RegistryLease) =>
          new TypeormJobRepository(ds, owner, lease),
        inject: [REGISTRY_DATA_SOURCE, OperationOwner, RegistryLease],
      },
      {
        provide: RuntimeRepository,
        useFactory: (ds: DataSource) => new TypeormRuntimeRepository(ds),
        inject: [REGISTRY_DATA_SOURCE],
      },
      {
        provide: TemplateRepository,
        useFactory: (ds: DataSource) => new TypeormTemplateRepository(ds),
        inject: [REGISTRY_DATA_SOURCE],
      },
      {
        provide: MoveOperationRepository,
        useFactory: (ds: DataSource, owner: OperationOwner, lease: RegistryLease) =>
          new TypeormMoveOperationRepository(ds, owner, lease),
        inject: [REGISTRY_DATA_SOURCE, OperationOwner, RegistryLease],
      },
      {
        provide: RegistryRetry,
        useFactory: (owner: OperationOwner, clock: Clock) => new RegistryRetry(owner, clock),
        inject: [OperationOwner, Clock],
      },
      {
        provide: DatabaseProbe,
        useFactory: (ds: DataSource) => new DataSourceProbe(ds),
        inject: [REGISTRY_DATA_SOURCE],
      },
      {
        provide: AdapterSigningKey,
        // Without a key from the host (unit tests of the module), one for this process only.
        useFactory: () => new AdapterSigningKey(options.signingKey ?? SigningKey.generate()),
      },
      {
        provide: ArtifactSignatures,
        useFactory: (key: AdapterSigningKey) => new ArtifactSignatures(key.key, options.templates),
        inject: [AdapterSigningKey],
      },
      {
        provide: AgentControlChannel,
        useFactory: (key: AdapterSigningKey, agentKeys: AgentKeys, refused: RefusedTraffic) =>
          new RpcAgentControlChannel(
            options.brokers,
            { adapterKey: key.key, agentKeys, refused },
            options.agentRpcTimeoutMs ?? DEFAULT_AGENT_RPC_TIMEOUT_MS,
          ),
        inject: [AdapterSigningKey, AgentKeys, RefusedTraffic],
      },
      {
        provide: DriverRegistry,
        useFactory: (
          channel: AgentControlChannel,
          signatures: ArtifactSignatures,
          flink?: FlinkJobDriver,
        ) =>
          new DriverRegistry([
            new EdgeRuntimeDriver(channel, options.templates, options.publicUrl, signatures),
            ...(flink ? [flink] : []),
            ...(options.drivers ?? []),
          ]),
        inject: [
          AgentControlChannel,
          ArtifactSignatures,
          { token: FlinkJobDriver, optional: true },
        ],
      },
      ...(options.flink ? flinkRuntimeProviders(options.flink) : []),
      { provide: DeadLetterDrops, useFactory: () => new BrokerDeadLetterDrops(options.brokers) },
      { provide: DeadLetterQueues, useFactory: () => new BrokerDeadLetterQueues(options.brokers) },
      {
        provide: RuleTopology,
        useFactory: (drops: DeadLetterDrops) =>
          new BrokerRuleTopology(
            options.brokers,
            { maxLength: options.deadLetterMaxLength ?? DEFAULT_DEAD_LETTER_MAX_LENGTH },
            drops,
          ),
        inject: [DeadLetterDrops],
      },
      { provide: EventPublisher, useFactory: () => new BrokerEventPublisher(options.brokers) },
      {
        provide: EventOutbox,
        useFactory: (ds: DataSource) => new TypeormEventOutbox(ds),
        inject: [REGISTRY_DATA_SOURCE],
      },
      {
        provide: EventRelay,
        useFactory: (outbox: EventOutbox, publisher: EventPublisher, clock: Clock) =>
          new EventRelay(outbox, publisher, clock),
        inject: [EventOutbox, EventPublisher, Clock],
      },
      JobAccess,
      InstallationCheck,
      RuntimeAvailability,
      RuntimeFigures,
      RuleshiftMetrics,
      MoveProcedure,
      MoveStarter,
      HeartbeatVerifier,
      HeartbeatListener,
      ...USE_CASES,
      ...ACCESS_PROVIDERS,
      ...AGENT_PROVIDERS,

      ...PIPELINE_PROVIDERS,
      ...PLACEMENT_PROVIDERS,
      AdapterHandlers,
      AdapterRequestServer,
      InProcessAdapterClient,
      { provide: ADAPTER_CLIENT, useExisting: InProcessAdapterClient },
      AdapterLifecycle,
    ];
    return {
      module: AdapterModule,
      controllers: options.serveMetrics
        ? [ArtifactController, EnrolmentController, AdapterMetricsController]
        : [ArtifactController, EnrolmentController],
      providers,
      exports: [
        InProcessAdapterClient,
        ADAPTER_CLIENT,
        AdapterHandlers,
        AdapterRequestServer,
        DriverRegistry,
        ResumePendingMovesUseCase,
        AdapterLeadership,
        AdapterSigningKey,
      ],
    };
  }
}
