import { Inject, Injectable } from '@nestjs/common';
import {
  RuleshiftError,
  ValidationFailed,
  type AdapterApi,
  type AdapterPattern,
} from '@ruleshift/contracts';
import { RuleshiftMetrics } from '../metrics/ruleshift-metrics';
import { ScrapeMetricsUseCase } from '../metrics/usecases/scrape-metrics/scrape-metrics.usecase';
import { AccessUseCases } from '../access/access-use-cases';
import { AgentUseCases } from '../agents/agent-use-cases';

import { PipelineUseCases } from '../pipelines/pipeline-use-cases';
import { ListPlacementDecisionsUseCase } from '../placement/usecases/list-placement-decisions/list-placement-decisions.usecase';
import { SetPlacementUseCase } from '../placement/usecases/set-placement/set-placement.usecase';
import { CheckHealthUseCase } from '../health/usecases/check-health/check-health.usecase';
import { GetJobConfigUseCase } from '../rules/usecases/get-job-config/get-job-config.usecase';
import { GetJobUseCase } from '../rules/usecases/get-job/get-job.usecase';
import { ListDeadLettersUseCase } from '../rules/usecases/list-dead-letters/list-dead-letters.usecase';
import { PurgeDeadLettersUseCase } from '../rules/usecases/purge-dead-letters/purge-dead-letters.usecase';
import { ReplayDeadLettersUseCase } from '../rules/usecases/replay-dead-letters/replay-dead-letters.usecase';
import { InstallJobUseCase } from '../rules/usecases/install-job/install-job.usecase';
import { ListJobsUseCase } from '../rules/usecases/list-jobs/list-jobs.usecase';
import { RelocateJobUseCase } from '../rules/usecases/relocate-job/relocate-job.usecase';
import { StartJobUseCase } from '../rules/usecases/start-job/start-job.usecase';
import { StopJobUseCase } from '../rules/usecases/stop-job/stop-job.usecase';
import { UninstallJobUseCase } from '../rules/usecases/uninstall-job/uninstall-job.usecase';
import { ListRuntimesUseCase } from '../runtimes/usecases/list-runtimes/list-runtimes.usecase';
import { ListTemplatesUseCase } from '../templates/usecases/list-templates/list-templates.usecase';

/** Operations on rules whose duration `ruleshift_operation_duration_seconds` records. */
const TIMED: ReadonlySet<AdapterPattern> = new Set<AdapterPattern>([
  'rules.install',
  'rules.uninstall',
  'rules.start',
  'rules.stop',
  'rules.move',
  'deadletters.replay',
  'deadletters.purge',
  'placement.set',
]);

type Handler<P extends AdapterPattern> = (
  request: AdapterApi[P]['request'],
) => Promise<AdapterApi[P]['response']>;

/**
 * One handler per AdapterApi pattern, shared by the RPC request server and the in-process
 * client so both transports run the same code.
 */
@Injectable()
export class AdapterHandlers {
  readonly byPattern: { [P in AdapterPattern]: Handler<P> };

  constructor(
    @Inject(InstallJobUseCase) install: InstallJobUseCase,
    @Inject(UninstallJobUseCase) uninstall: UninstallJobUseCase,
    @Inject(StartJobUseCase) start: StartJobUseCase,
    @Inject(StopJobUseCase) stop: StopJobUseCase,
    @Inject(RelocateJobUseCase) relocate: RelocateJobUseCase,
    @Inject(ListJobsUseCase) listJobs: ListJobsUseCase,
    @Inject(GetJobUseCase) getJob: GetJobUseCase,
    @Inject(GetJobConfigUseCase) getJobConfig: GetJobConfigUseCase,
    @Inject(ListDeadLettersUseCase) listDeadLetters: ListDeadLettersUseCase,
    @Inject(ReplayDeadLettersUseCase) replayDeadLetters: ReplayDeadLettersUseCase,
    @Inject(PurgeDeadLettersUseCase) purgeDeadLetters: PurgeDeadLettersUseCase,
    @Inject(ListRuntimesUseCase) listRuntimes: ListRuntimesUseCase,
    @Inject(ListTemplatesUseCase) listTemplates: ListTemplatesUseCase,
    @Inject(CheckHealthUseCase) health: CheckHealthUseCase,
    @Inject(AccessUseCases) access: AccessUseCases,
    @Inject(AgentUseCases) agents: AgentUseCases,

    @Inject(PipelineUseCases) pipelines: PipelineUseCases,
    @Inject(ScrapeMetricsUseCase) scrapeMetrics: ScrapeMetricsUseCase,
    @Inject(RuleshiftMetrics) private readonly metrics: RuleshiftMetrics,
    @Inject(SetPlacementUseCase) setPlacement: SetPlacementUseCase,
    @Inject(ListPlacementDecisionsUseCase) placementDecisions: ListPlacementDecisionsUseCase,
  ) {
    this.byPattern = {
      'rules.install': (r) => install.execute(r),
      'rules.uninstall': (r) => uninstall.execute(r),
      'rules.start': (r) => start.execute(r),
      'rules.stop': (r) => stop.execute(r),
      'rules.move': (r) => relocate.execute(r),
      'jobs.list': (r) => listJobs.execute(r),
      'jobs.get': (r) => getJob.execute(r),
      'jobs.config': (r) => getJobConfig.execute(r),
      'deadletters.list': (r) => listDeadLetters.execute(r),
      'deadletters.replay': (r) => replayDeadLetters.execute(r),
      'deadletters.purge': (r) => purgeDeadLetters.execute(r),
      'runtimes.list': (r) => listRuntimes.execute(r),
      'templates.list': (r) => listTemplates.execute(r),
      health: (r) => health.execute(r),
      'tokens.create': (r) => access.createToken.execute(r),
      'tokens.list': (r) => access.listTokens.execute(r),
      'tokens.revoke': (r) => access.revokeToken.execute(r),
      'tokens.verify': (r) => access.verifyToken.execute(r),
      'audit.record': (r) => access.recordAudit.execute(r),
      'audit.list': (r) => access.listAudit.execute(r),
      'agents.create': (r) => agents.create.execute(r),
      'agents.list': (r) => agents.list.execute(r),
      'agents.revoke': (r) => agents.revoke.execute(r),

      'pipelines.create': (r) => pipelines.create.execute(r),
      'pipelines.list': () => pipelines.list.execute(),
      'pipelines.get': (r) => pipelines.get.execute(r),
      'pipelines.start': (r) => pipelines.start.execute(r),
      'pipelines.stop': (r) => pipelines.stop.execute(r),
      'pipelines.uninstall': (r) => pipelines.uninstall.execute(r),
      'metrics.scrape': (r) => scrapeMetrics.execute(r),
      'placement.set': (r) => setPlacement.execute(r),
      'placement.decisions': (r) => placementDecisions.execute(r),
    };
  }

  handle<P extends AdapterPattern>(
    pattern: P,
    request: AdapterApi[P]['request'],
  ): Promise<AdapterApi[P]['response']> {
    // Own keys only: a pattern such as `constructor` must not reach Object.prototype.
    if (!Object.hasOwn(this.byPattern, pattern)) {
      return Promise.reject(
        new ValidationFailed([
          { field: 'pattern', reason: `unknown adapter pattern ${String(pattern)}` },
        ]),
      );
    }
    const run = (this.byPattern[pattern] as Handler<P>)(request);
    if (!TIMED.has(pattern)) return run;
    const done = this.metrics.operationDuration.startTimer({ operation: pattern });
    return run.then(
      (response) => {
        done({ result: 'ok' });
        return response;
      },
      (error: unknown) => {
        done({ result: error instanceof RuleshiftError ? error.code.toLowerCase() : 'error' });
        throw error;
      },
    );
  }
}
