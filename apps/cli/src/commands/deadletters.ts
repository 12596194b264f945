import type { Command } from 'commander';
import { UsageError } from '../api/api-failure';
import type { CliContext } from '../cli-context';
import { describeDeadLetters } from '../output/describe-dead-letters';
import { renderData } from '../output/output-format';
import { resolveJob } from './job-ref';
import { outputOption, positiveInteger, type OutputOptions } from './options';

interface DeadLetterOptions extends OutputOptions {
  replay?: number | true;
  purge?: boolean;
  limit: number;
}

/**
 * `ruleshift deadletters JOB [--replay [N] | --purge]`: what waits in the rule's dead-letter
 * queue (count by reason, the newest messages); replay the oldest N (all without N) to the
 * rule's input, or drop them all.
 */
export function registerDeadLetters(program: Command, ctx: CliContext): void {
  program
    .command('deadletters <job>')
    .description("list a rule's dead letters, replay them to its input or purge them")
    .option(
      '--replay [n]',
      'republish the oldest n (default: all) to the rule input',
      positiveInteger('--replay'),
    )
    .option('--purge', 'drop every waiting dead letter')
    .option(
      '--limit <n>',
      'how many of the newest to list (at most 1000)',
      positiveInteger('--limit'),
      20,
    )
    .addOption(outputOption())
    .action(async (ref: string, options: DeadLetterOptions) => {
      if (options.replay !== undefined && options.purge) {
        throw new UsageError('--replay', 'give --replay or --purge, not both');
      }
      const api = ctx.api();
      const job = await resolveJob(api, ref);
      const machine = options.output === 'json' || options.output === 'yaml';
      if (options.replay !== undefined) {
        const count = options.replay === true ? undefined : options.replay;
        const answer = await api.replayDeadLetters(job.jobId, count);
        if (machine) return ctx.out(renderData(answer, options.output as 'json' | 'yaml'));
        return ctx.out(`replayed ${answer.replayed} to the input of ${job.jobId}`);
      }
      if (options.purge) {
        const answer = await api.purgeDeadLetters(job.jobId);
        if (machine) return ctx.out(renderData(answer, options.output as 'json' | 'yaml'));
        return ctx.out(`purged ${answer.purged} from ${job.jobId}`);
      }
      const report = await api.deadLetters(job.jobId, options.limit);
      if (machine) return ctx.out(renderData(report, options.output as 'json' | 'yaml'));
      ctx.out(describeDeadLetters(report));
    });
}
