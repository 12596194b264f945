import type { Command } from 'commander';
import type { InstallationObject, JobDetails } from '@ruleshift/contracts';
import { OperationFailed } from '../api/api-failure';
import { isPending } from '../api/ruleshift-api';
import type { CliContext } from '../cli-context';
import { readDocument, requireObject } from '../input/read-document';
import { placementOf } from '../output/format';
import { printJob } from '../output/print';
import { runOperation } from './await-operation';
import { outputOption, type OutputOptions } from './options';

/** `ruleshift install -f rule.json|rule.yaml [--start]`: the paper's installation object. */
export function registerInstall(program: Command, ctx: CliContext): void {
  program
    .command('install')
    .description('install a rule from a YAML/JSON installation object')
    .requiredOption('-f, --file <file>', 'the installation object: headers, jobConfig, jobProps')
    .option('--start', 'start the rule once it is installed')
    .addOption(outputOption())
    .action(async (options: OutputOptions & { file: string; start?: boolean }) => {
      const installation = requireObject(await readDocument(options.file), options.file);
      const api = ctx.api();
      const progress = ctx.progress();
      progress.step(`installing from ${options.file}`);
      const answer = await api
        .install(installation as unknown as InstallationObject)
        .catch((error: unknown) => {
          progress.finish();
          throw error;
        });
      if (isPending(answer)) {
        progress.finish();
        throw new OperationFailed(`install did not end in time: ${answer.message}`);
      }
      let job: JobDetails = await api.job(answer.jobId);
      progress.finish(`${job.jobStatus} on ${placementOf(job)}`);
      if (options.start) {
        job = await runOperation(
          api,
          job,
          { name: 'start', headline: `starting ${job.jobId.slice(0, 8)} on ${placementOf(job)}` },
          ctx.progress(),
          () => api.start(job),
        );
      }
      printJob(ctx, options.output, job);
    });
}
