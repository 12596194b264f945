import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type Provider,
} from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { AdapterLeadership } from '../../leadership/adapter-leadership';
import { Clock } from '../../shared/clock';
import { REGISTRY_DATA_SOURCE, TEMPLATE_CATALOG } from '../../shared/tokens';
import {
  createFlinkCluster,
  FLINK_POLL_INTERVAL_MS,
  type FlinkRuntimeOptions,
} from './create-flink-clusters';
import type { FlinkCluster } from './flink-cluster';
import { FlinkJobDriver, type FlinkTemplateSource } from './flink-job-driver';
import { FlinkClusterPoller } from '../../runtimes/flink-cluster-poller';
import {
  FlinkRuntimeHealthSink,
  FlinkRuleFiguresSink,
  JobFailureReporter,
  RunningFlinkJobs,
} from '../../runtimes/usecases/reconcile-flink-cluster/flink-reconcile-ports';
import { ReconcileFlinkClusterUseCase } from '../../runtimes/usecases/reconcile-flink-cluster/reconcile-flink-cluster.usecase';
import {
  RegistryFlinkRuntimeHealth,
  RegistryJobFailureReporter,
  RuntimeFiguresFlinkSink,
  RegistryRunningFlinkJobs,
} from '../../runtimes/usecases/reconcile-flink-cluster/registry-reconcile-adapters';
import { FlinkDeploymentStore } from './persistence/flink-deployment-store';
import { TypeormFlinkDeploymentStore } from './persistence/typeorm-flink-deployment-store';

export const FLINK_RUNTIME_OPTIONS = Symbol('FLINK_RUNTIME_OPTIONS');
export const FLINK_CLUSTERS = Symbol('FLINK_CLUSTERS');

const isFlinkTemplateSource = (value: unknown): value is FlinkTemplateSource =>
  typeof (value as FlinkTemplateSource | null)?.manifest === 'function';

/** Flink reconciliation is an active duty: only the active adapter polls and reconciles. */
@Injectable()
export class FlinkMonitorLifecycle implements OnApplicationBootstrap {
  constructor(
    @Inject(FlinkClusterPoller) private readonly poller: FlinkClusterPoller,
    @Inject(AdapterLeadership) private readonly leadership: AdapterLeadership,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.leadership.register(this.poller);
  }
}

/**
 * Everything the flink runtime adds to AdapterModule: the driver (kind `flink`), its
 * TypeORM-backed deployment store, the cluster monitor and its registry adapters.
 */
export function flinkRuntimeProviders(options: FlinkRuntimeOptions): Provider[] {
  return [
    { provide: FLINK_RUNTIME_OPTIONS, useValue: options },
    { provide: FLINK_CLUSTERS, useFactory: (): FlinkCluster[] => [createFlinkCluster(options)] },
    {
      provide: FlinkDeploymentStore,
      useFactory: (ds: DataSource) => new TypeormFlinkDeploymentStore(ds),
      inject: [REGISTRY_DATA_SOURCE],
    },
    {
      provide: FlinkJobDriver,
      useFactory: (clusters: FlinkCluster[], templates: unknown, store: FlinkDeploymentStore) => {
        if (!isFlinkTemplateSource(templates)) {
          throw new Error(
            'the flink runtime needs the TemplateCatalog (manifest() for entryClass)',
          );
        }
        return new FlinkJobDriver(clusters, templates, store, {
          pollIntervalMs: FLINK_POLL_INTERVAL_MS,
        });
      },
      inject: [FLINK_CLUSTERS, TEMPLATE_CATALOG, FlinkDeploymentStore],
    },
    { provide: FlinkRuntimeHealthSink, useClass: RegistryFlinkRuntimeHealth },
    { provide: RunningFlinkJobs, useClass: RegistryRunningFlinkJobs },
    { provide: JobFailureReporter, useClass: RegistryJobFailureReporter },
    { provide: FlinkRuleFiguresSink, useClass: RuntimeFiguresFlinkSink },
    {
      provide: ReconcileFlinkClusterUseCase,
      useFactory: (
        clusters: FlinkCluster[],
        health: FlinkRuntimeHealthSink,
        running: RunningFlinkJobs,
        failures: JobFailureReporter,
        store: FlinkDeploymentStore,
        figures: FlinkRuleFiguresSink,
        clock: Clock,
      ) =>
        new ReconcileFlinkClusterUseCase(
          clusters,
          health,
          running,
          failures,
          store,
          figures,
          clock,
          new Logger(ReconcileFlinkClusterUseCase.name),
        ),
      inject: [
        FLINK_CLUSTERS,
        FlinkRuntimeHealthSink,
        RunningFlinkJobs,
        JobFailureReporter,
        FlinkDeploymentStore,
        FlinkRuleFiguresSink,
        Clock,
      ],
    },
    {
      provide: FlinkClusterPoller,
      useFactory: (reconcile: ReconcileFlinkClusterUseCase, clock: Clock) =>
        new FlinkClusterPoller(reconcile, clock, options.cluster.monitorIntervalMs),
      inject: [ReconcileFlinkClusterUseCase, Clock],
    },
    FlinkMonitorLifecycle,
  ];
}
