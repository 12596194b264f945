import type { Command } from 'commander';
import { UsageError } from '../api/api-failure';
import type { CliContext } from '../cli-context';
import { describeJob } from '../output/describe-job';
import { describePipeline } from '../output/describe-pipeline';
import { renderData } from '../output/output-format';
import { resolveJob } from './job-ref';
import { outputOption, type OutputOptions } from './options';

/** `ruleshift describe job JOB` (and `describe pipeline NAME`): everything the API knows. */
export function registerDescribe(program: Command, ctx: CliContext): void {
  program
    .command('describe <kind> <name>')
    .description('show a job (describe job JOB) or a pipeline in detail')
    .addOption(outputOption())
    .action(async (kind: string, name: string, options: OutputOptions) => {
      const api = ctx.api();
      const machine = options.output === 'json' || options.output === 'yaml';
      if (kind === 'job' || kind === 'jobs') {
        const job = await resolveJob(api, name);
        if (machine) return ctx.out(renderData(job, options.output as 'json' | 'yaml'));
        if (options.output === 'name') return ctx.out(job.jobId);
        return ctx.out(describeJob(job, Date.now()));
      }
      if (kind === 'pipeline' || kind === 'pipelines') {
        const pipeline = await api.pipeline(name);
        if (machine) return ctx.out(renderData(pipeline, options.output as 'json' | 'yaml'));
        if (options.output === 'name') return ctx.out(pipeline.name);
        return ctx.out(describePipeline(pipeline));
      }
      throw new UsageError('KIND', `must be job or pipeline, got ${kind}`);
    });
}
