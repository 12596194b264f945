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
import { createFlinkCluster, type FlinkRuntimeOptions } from './create-flink-clusters';
import type { FlinkCluster } from './flink-cluster';
import { FlinkJobDriver, type FlinkTemplateSource } from './flink-job-driver';
import { FlinkClusterMonitor } from './monitor/flink-cluster-monitor';
import {
  FlinkRuntimeHealthSink,
  JobFailureReporter,
  RunningFlinkJobs,
} from './monitor/flink-monitor-ports';
import {
  RegistryFlinkRuntimeHealth,
  RegistryJobFailureReporter,
  RegistryRunningFlinkJobs,
} from './monitor/registry-monitor-adapters';
import { FlinkDeploymentStore } from './persistence/flink-deployment-store';
import { TypeormFlinkDeploymentStore } from './persistence/typeorm-flink-deployment-store';

export const FLINK_RUNTIME_OPTIONS = Symbol('FLINK_RUNTIME_OPTIONS');
export const FLINK_CLUSTERS = Symbol('FLINK_CLUSTERS');

const isFlinkTemplateSource = (value: unknown): value is FlinkTemplateSource =>
  typeof (value as FlinkTemplateSource | null)?.manifest === 'function';

/** The cluster monitor is an active duty: only the active adapter watches and reconciles. */
@Injectable()
export class FlinkMonitorLifecycle implements OnApplicationBootstrap {
  private readonly logger = new Logger(FlinkMonitorLifecycle.name);

  constructor(
    @Inject(FlinkClusterMonitor) private readonly monitor: FlinkClusterMonitor,
    @Inject(FLINK_RUNTIME_OPTIONS) private readonly options: FlinkRuntimeOptions,
    @Inject(AdapterLeadership) private readonly leadership: AdapterLeadership,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.leadership.register({
      name: `Flink cluster monitor (${this.options.cluster.name})`,
      start: async () => {
        await this.monitor.start(this.options.cluster.monitorIntervalMs);
        this.logger.log(`watching Flink cluster ${this.options.cluster.name}`);
      },
      stop: () => this.monitor.stop(),
    });
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
        return new FlinkJobDriver(clusters, templates, store);
      },
      inject: [FLINK_CLUSTERS, TEMPLATE_CATALOG, FlinkDeploymentStore],
    },
    { provide: FlinkRuntimeHealthSink, useClass: RegistryFlinkRuntimeHealth },
    { provide: RunningFlinkJobs, useClass: RegistryRunningFlinkJobs },
    { provide: JobFailureReporter, useClass: RegistryJobFailureReporter },
    {
      provide: FlinkClusterMonitor,
      useFactory: (
        clusters: FlinkCluster[],
        health: FlinkRuntimeHealthSink,
        running: RunningFlinkJobs,
        failures: JobFailureReporter,
        store: FlinkDeploymentStore,
        clock: Clock,
      ) =>
        new FlinkClusterMonitor(
          clusters,
          health,
          running,
          failures,
          store,
          clock,
          new Logger(FlinkClusterMonitor.name),
        ),
      inject: [
        FLINK_CLUSTERS,
        FlinkRuntimeHealthSink,
        RunningFlinkJobs,
        JobFailureReporter,
        FlinkDeploymentStore,
        Clock,
      ],
    },
    FlinkMonitorLifecycle,
  ];
}
