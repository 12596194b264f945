import type { BrokerConnection, BrokerRegistry } from '@ruleshift/broker';
import {
  BrokerRegistryImpl,
  InMemoryBrokerHub,
  deadLetterQueueFor,
  ruleEndpoints,
  ruleInputQueues,
} from '@ruleshift/broker';
import {
  ValidationFailed,
  type InputConnector,
  type InstallationObject,
  type RuleConfig,
  type RuntimeKind,
} from '@ruleshift/contracts';
import { RefusedTraffic } from '../agents/refused-traffic';
import { DriverRegistry } from '../drivers/driver-registry';
import { CheckHealthUseCase } from '../health/usecases/check-health/check-health.usecase';
import { connectorsFixture } from '../registry/testing/job-fixtures';
import {
  FakeDatabaseProbe,
  InMemoryJobRepository,
  InMemoryMoveOperationRepository,
  InMemoryRuntimeRepository,
  InMemoryTemplateRepository,
  TEST_OWNER,
} from '../registry/testing/in-memory-registry';
import type { JobRepository } from '../registry/job.repository';
import type { MoveOperationRepository } from '../registry/move-operation.repository';
import { FixedOperationOwner, type OperationOwner } from '../registry/operation-owner';
import { RegistryRetry } from '../registry/registry-retry';
import type { PipelineExchange } from '@ruleshift/contracts';
import { RecordingEventPublisher } from '../events/event-publisher';
import { EventRelay } from '../events/outbox/event-relay';
import { InMemoryPipelineRepository } from '../pipelines/persistence/in-memory-pipeline.repository';
import type { PipelineRepository } from '../pipelines/persistence/pipeline.repository';
import { PipelineAccess } from '../pipelines/pipeline-access';
import { PipelineTopology } from '../pipelines/pipeline-topology';
import { PipelineUseCases } from '../pipelines/pipeline-use-cases';
import { CreatePipelineUseCase } from '../pipelines/usecases/create-pipeline/create-pipeline.usecase';
import { GetPipelineUseCase } from '../pipelines/usecases/get-pipeline/get-pipeline.usecase';
import { ListPipelinesUseCase } from '../pipelines/usecases/list-pipelines/list-pipelines.usecase';
import { StartPipelineUseCase } from '../pipelines/usecases/start-pipeline/start-pipeline.usecase';
import { StopPipelineUseCase } from '../pipelines/usecases/stop-pipeline/stop-pipeline.usecase';
import { UninstallPipelineUseCase } from '../pipelines/usecases/uninstall-pipeline/uninstall-pipeline.usecase';
import { InstallationCheck } from '../rules/installation-check';
import { JobAccess } from '../rules/job-access';
import { MoveProcedure } from '../rules/move/move-procedure';
import { MoveStarter } from '../rules/move/move-starter';
import { InMemoryPlacementRepository } from '../placement/persistence/in-memory-placement.repository';
import { PlacementCheck } from '../placement/placement-check';
import { PlacementPause } from '../placement/placement-pause';
import { SetPlacementUseCase } from '../placement/usecases/set-placement/set-placement.usecase';
import { ListPlacementDecisionsUseCase } from '../placement/usecases/list-placement-decisions/list-placement-decisions.usecase';
import { BrokerDeadLetterQueues } from '../rules/broker-dead-letter-queues';
import { DeadLetterDrops } from '../rules/dead-letter-drops';
import { ListDeadLettersUseCase } from '../rules/usecases/list-dead-letters/list-dead-letters.usecase';
import { PurgeDeadLettersUseCase } from '../rules/usecases/purge-dead-letters/purge-dead-letters.usecase';
import { ReplayDeadLettersUseCase } from '../rules/usecases/replay-dead-letters/replay-dead-letters.usecase';
import { RuleTopology } from '../rules/rule-topology';
import { GetJobConfigUseCase } from '../rules/usecases/get-job-config/get-job-config.usecase';
import { GetJobUseCase } from '../rules/usecases/get-job/get-job.usecase';
import { InstallJobUseCase } from '../rules/usecases/install-job/install-job.usecase';
import { ListJobsUseCase } from '../rules/usecases/list-jobs/list-jobs.usecase';
import { RelocateJobUseCase } from '../rules/usecases/relocate-job/relocate-job.usecase';
import { ResumePendingMovesUseCase } from '../rules/usecases/resume-pending-moves/resume-pending-moves.usecase';
import { StartJobUseCase } from '../rules/usecases/start-job/start-job.usecase';
import { StopJobUseCase } from '../rules/usecases/stop-job/stop-job.usecase';
import { UninstallJobUseCase } from '../rules/usecases/uninstall-job/uninstall-job.usecase';
import { RuntimeAvailability } from '../runtimes/runtime-availability';
import { RuntimeFigures } from '../runtimes/runtime-figures';
import { RuleshiftMetrics } from '../metrics/ruleshift-metrics';
import { ScrapeMetricsUseCase } from '../metrics/usecases/scrape-metrics/scrape-metrics.usecase';
import { ListRuntimesUseCase } from '../runtimes/usecases/list-runtimes/list-runtimes.usecase';
import { RecordHeartbeatUseCase } from '../runtimes/usecases/record-heartbeat/record-heartbeat.usecase';
import { SweepUnreachableRuntimesUseCase } from '../runtimes/usecases/sweep-unreachable-runtimes/sweep-unreachable-runtimes.usecase';
import { ManualClock } from '../shared/clock';
import { ListTemplatesUseCase } from '../templates/usecases/list-templates/list-templates.usecase';
import { SyncTemplateCatalogUseCase } from '../templates/usecases/sync-template-catalog/sync-template-catalog.usecase';
import { FakeRuntimeDriver } from './fake-runtime-driver';
import { FakeTemplateCatalog } from './fake-template-catalog';

export class FakeRuleTopology extends RuleTopology {
  readonly deadLetterQueue = { maxLength: 100 };
  readonly declared: RuleConfig[] = [];
  /** Queues `remove` deleted, as `endpoint/queue`. */
  readonly deleted: string[] = [];
  failure: Error | null = null;

  declare(config: RuleConfig): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.declared.push(config);
    return Promise.resolve();
  }

  remove(config: RuleConfig, keepInput: (input: InputConnector) => boolean): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    for (const { connector } of ruleInputQueues(config)) {
      if (!keepInput(connector)) this.deleted.push(`${connector.endpoint}/${connector.queue}`);
    }
    for (const endpoint of ruleEndpoints(config)) {
      this.deleted.push(`${endpoint}/${deadLetterQueueFor(config.jobId)}`);
    }
    return Promise.resolve();
  }
}

/** Records the exchanges a pipeline's uninstall removed, as `endpoint/exchange`. */
export class FakePipelineTopology extends PipelineTopology {
  readonly removed: string[] = [];
  failure: Error | null = null;

  removeExchanges(exchanges: readonly PipelineExchange[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    for (const { endpoint, exchange } of exchanges) this.removed.push(`${endpoint}/${exchange}`);
    return Promise.resolve();
  }
}

export class FakeDeadLetterDrops extends DeadLetterDrops {
  readonly counts = new Map<string, number>();

  watch(): Promise<void> {
    return Promise.resolve();
  }

  dropped(jobId: string): number {
    return this.counts.get(jobId) ?? 0;
  }
}

/** Knows the brokers `edge` and `core`; connections only answer queueDepth and queueConsumers. */
export class FakeBrokerRegistry implements BrokerRegistry {
  coreDown = false;
  /** What every queue of an endpoint answers for its depth and consumers. */
  readonly depths = new Map<string, number>();
  readonly consumers = new Map<string, number>();

  get(endpoint: string): Promise<BrokerConnection> {
    if (this.coreDown) return Promise.reject(new Error(`${endpoint} is down`));
    return Promise.resolve({
      name: endpoint,
      queueDepth: () => Promise.resolve(this.depths.get(endpoint) ?? 0),
      queueConsumers: () => Promise.resolve(this.consumers.get(endpoint) ?? 0),
    } as unknown as BrokerConnection);
  }

  validateEndpoint(endpoint: string, field: string): void {
    if (endpoint !== 'edge' && endpoint !== 'core') {
      throw new ValidationFailed([{ field, reason: `unknown broker ${endpoint}` }]);
    }
  }

  closeAll(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The adapter's use cases wired by hand on in-memory repositories and fakes. `restart()`
 * builds fresh use-case instances on the same registry and runtimes, like a new adapter
 * process would.
 */
export class AdapterTestKit {
  readonly clock = new ManualClock();
  readonly jobs = new InMemoryJobRepository();
  readonly runtimes = new InMemoryRuntimeRepository();
  readonly templateRows = new InMemoryTemplateRepository();
  readonly moves = new InMemoryMoveOperationRepository();
  readonly database = new FakeDatabaseProbe();
  readonly catalog = new FakeTemplateCatalog();
  readonly brokers = new FakeBrokerRegistry();
  readonly topology = new FakeRuleTopology();
  readonly drops = new FakeDeadLetterDrops();
  readonly edge = new FakeRuntimeDriver('edge');
  readonly flink = new FakeRuntimeDriver('flink', []);
  readonly figures = new RuntimeFigures();
  readonly metrics = new RuleshiftMetrics();
  /** In-process `edge` and `core` brokers, where the dead-letter use cases find the queues. */
  readonly brokerHub = new InMemoryBrokerHub();
  readonly realBrokers = new BrokerRegistryImpl(
    { named: { edge: { kind: 'memory' }, core: { kind: 'memory' } } },
    {
      hub: this.brokerHub,
      connectAmqp: () => Promise.reject(new Error('no AMQP in unit tests')),
    },
  );
  readonly refused = new RefusedTraffic();

  readonly events = new RecordingEventPublisher();
  /** The outbox the job and pipeline fakes write their events to, published to `events`. */
  readonly outbox = this.jobs.outbox;
  readonly relay = new EventRelay(this.outbox, this.events, this.clock);
  readonly pipelineRows = new InMemoryPipelineRepository(
    new FixedOperationOwner('test-adapter'),
    new Map(),
    this.outbox,
  );
  readonly pipelineTopology = new FakePipelineTopology();
  readonly placements = new InMemoryPlacementRepository();

  readonly useCases = this.build();

  private restarts = 0;

  /**
   * A new adapter process: a new leadership term on the same registry, so what the previous
   * one left held belongs to a dead owner.
   */
  restart(): ReturnType<AdapterTestKit['build']> {
    this.restarts += 1;
    const owner = new FixedOperationOwner(`test-adapter/restart-${this.restarts}`);
    return this.build(
      this.jobs.forOwner(owner),
      this.moves.forOwner(owner),
      this.pipelineRows.forOwner(owner),
      owner,
    );
  }

  async registerRuntime(
    kind: RuntimeKind,
    name: string,
    health: 'UP' | 'UNREACHABLE' = 'UP',
    details: Record<string, unknown> = {},
  ) {
    await this.runtimes.upsert({
      kind,
      targetResource: name,
      health,
      startedAt: this.clock.now(),
      lastSeenAt: this.clock.now(),
      details,
    });
  }

  installation(
    overrides: Partial<InstallationObject['headers']> = {},
    jobProps: Record<string, unknown> = {},
  ): InstallationObject {
    return {
      headers: { runtime: 'edge', targetResource: 'gw-1', jobType: 'filter', ...overrides },
      jobConfig: { connectors: { ...connectorsFixture } },
      jobProps: {
        condition: '>',
        threshold: 30,
        fieldName: 'temp',
        fieldJsonPath: '$.temp',
        ...jobProps,
      },
    };
  }

  private build(
    jobRows: JobRepository = this.jobs,
    moveRows: MoveOperationRepository = this.moves,
    pipelineRows: PipelineRepository = this.pipelineRows,
    owner: OperationOwner = TEST_OWNER,
  ) {
    const drivers = new DriverRegistry([this.edge, this.flink]);
    const retry = new RegistryRetry(owner, this.clock);
    const availability = new RuntimeAvailability(this.runtimes);
    const access = new JobAccess(jobRows, this.clock, retry, this.relay);
    const placementCheck = new PlacementCheck(this.catalog);
    const check = new InstallationCheck(
      this.catalog,
      this.brokers,
      availability,
      drivers,
      placementCheck,
    );
    const procedure = new MoveProcedure(jobRows, moveRows, drivers, access, this.clock, retry);
    const mover = new MoveStarter(
      this.catalog,
      drivers,
      availability,
      jobRows,
      moveRows,
      procedure,
      this.clock,
    );
    const install = new InstallJobUseCase(
      check,
      drivers,
      this.topology,
      jobRows,
      access,
      this.clock,
      retry,
      this.placements,
    );
    const start = new StartJobUseCase(access, drivers);
    const stop = new StopJobUseCase(access, drivers);
    const uninstall = new UninstallJobUseCase(access, drivers, this.topology, this.jobs);
    const getJob = new GetJobUseCase(
      access,
      jobRows,
      this.figures,
      moveRows,
      this.drops,
      this.placements,
    );
    const pipelineAccess = new PipelineAccess(pipelineRows, jobRows, this.relay, this.clock);
    const pipelines = new PipelineUseCases(
      new CreatePipelineUseCase(
        this.catalog,
        check,
        install,
        uninstall,
        pipelineRows,
        pipelineAccess,
        this.pipelineTopology,
        this.clock,
      ),
      new ListPipelinesUseCase(pipelineRows, pipelineAccess),
      new GetPipelineUseCase(pipelineAccess, getJob),
      new StartPipelineUseCase(pipelineAccess, start, stop),
      new StopPipelineUseCase(pipelineAccess, stop),
      new UninstallPipelineUseCase(pipelineAccess, uninstall, this.pipelineTopology, this.clock),
    );
    return {
      drivers,
      access,
      check,
      pipelines,
      install,
      start,
      stop,
      uninstall,
      getJob,
      mover,
      relocate: new RelocateJobUseCase(
        access,
        mover,
        new PlacementPause(this.placements, this.clock),
      ),
      setPlacement: new SetPlacementUseCase(access, placementCheck, this.placements, this.clock),
      placementDecisions: new ListPlacementDecisionsUseCase(this.placements),
      resume: new ResumePendingMovesUseCase(
        moveRows,
        jobRows,
        procedure,
        drivers,
        access,
        this.clock,
      ),
      listJobs: new ListJobsUseCase(jobRows, this.figures, moveRows),
      getJobConfig: new GetJobConfigUseCase(access),
      listDeadLetters: new ListDeadLettersUseCase(
        access,
        new BrokerDeadLetterQueues(this.realBrokers),
        this.drops,
      ),
      replayDeadLetters: new ReplayDeadLettersUseCase(
        access,
        new BrokerDeadLetterQueues(this.realBrokers),
      ),
      purgeDeadLetters: new PurgeDeadLettersUseCase(
        access,
        new BrokerDeadLetterQueues(this.realBrokers),
      ),
      recordHeartbeat: new RecordHeartbeatUseCase(
        this.runtimes,
        jobRows,
        access,
        this.clock,
        this.figures,
      ),
      sweep: new SweepUnreachableRuntimesUseCase(this.runtimes, this.clock),
      listRuntimes: new ListRuntimesUseCase(this.runtimes, this.refused, this.figures),
      listTemplates: new ListTemplatesUseCase(this.catalog),
      syncTemplates: new SyncTemplateCatalogUseCase(this.catalog, this.templateRows, this.clock),
      health: new CheckHealthUseCase(this.database, this.brokers),
      scrapeMetrics: new ScrapeMetricsUseCase(
        this.metrics,
        jobRows,
        this.runtimes,
        this.figures,
        this.realBrokers,
        this.outbox,
        this.clock,
      ),
    };
  }
}

/** Runs `promise` and returns the RuleshiftError body it rejects with. */
export async function errorOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    return (err as { toJSON?: () => unknown }).toJSON?.() ?? err;
  }
  throw new Error('expected a rejection');
}
