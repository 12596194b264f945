import type { Command } from 'commander';
import type { JobDetails, JobInfo, PipelineInfo } from '@ruleshift/contracts';
import type { OperationAnswer, RuleshiftApi } from '../api/ruleshift-api';
import type { CliContext } from '../cli-context';
import { placementOf } from '../output/format';
import { renderData } from '../output/output-format';
import { printJob, printResources } from '../output/print';
import { pipelineColumns } from '../output/resource-columns';
import { runOperation } from './await-operation';
import { resolveJob } from './job-ref';
import { outputOption, type OutputOptions } from './options';

const PIPELINE_REF = /^pipelines?\/(.+)$/;

export interface JobOperation {
  name: 'start' | 'stop' | 'uninstall';
  description: string;
  /** Progress headline, e.g. `stopping 3f1c2a9e on edge/local`. */
  doing: string;
  call(api: RuleshiftApi, job: JobDetails): Promise<OperationAnswer<JobInfo>>;
}

/**
 * `ruleshift start|stop|uninstall JOB`, and the same on a whole pipeline with
 * `pipeline/NAME` (its stages in the pipeline API's order).
 */
export function registerJobOperation(
  program: Command,
  ctx: CliContext,
  operation: JobOperation,
): Command {
  return program
    .command(operation.name)
    .description(operation.description)
    .argument('<job>', 'a job id, its first 4+ characters, or pipeline/NAME for a whole pipeline')
    .addOption(outputOption())
    .action(async (ref: string, options: OutputOptions) => {
      const api = ctx.api();
      const pipeline = PIPELINE_REF.exec(ref)?.[1];
      if (pipeline !== undefined) {
        const progress = ctx.progress();
        progress.step(`${operation.doing} pipeline ${pipeline}`);
        let info: PipelineInfo;
        try {
          info = await api.pipelineOperation(pipeline, operation.name);
        } finally {
          progress.finish();
        }
        if (options.output === 'json' || options.output === 'yaml') {
          return ctx.out(renderData(info, options.output));
        }
        return printResources(ctx, options.output, [info], pipelineColumns, '');
      }
      const job = await resolveJob(api, ref);
      const final = await runOperation(
        api,
        job,
        {
          name: operation.name,
          headline: `${operation.doing} ${job.jobId.slice(0, 8)} on ${placementOf(job)}`,
        },
        ctx.progress(),
        () => operation.call(api, job),
      );
      printJob(ctx, options.output, final);
    });
}
