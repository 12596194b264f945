import type { Command } from 'commander';
import { RUNTIME_KINDS, type RuntimeKind } from '@ruleshift/contracts';
import { UsageError } from '../api/api-failure';
import type { CliContext } from '../cli-context';
import { placementOf } from '../output/format';
import { printJob } from '../output/print';
import { runOperation } from './await-operation';
import { resolveJob } from './job-ref';
import { outputOption, type OutputOptions } from './options';

/** `ruleshift move JOB --to edge/gw2|flink/flink [--drop-state]`, showing each step. */
export function registerMove(program: Command, ctx: CliContext): void {
  program
    .command('move <job>')
    .description('move a rule to another agent or to Flink while events keep flowing')
    .requiredOption('--to <runtime/resource>', 'where to: edge/<agent> or flink/<cluster>')
    .option('--drop-state', 'accept losing window state between edge and Flink')
    .addOption(outputOption())
    .action(async (ref: string, options: OutputOptions & { to: string; dropState?: boolean }) => {
      const target = parseTarget(options.to);
      const api = ctx.api();
      const job = await resolveJob(api, ref);
      const final = await runOperation(
        api,
        job,
        { name: 'move', headline: `moving ${job.jobId.slice(0, 8)} from ${placementOf(job)}` },
        ctx.progress(),
        () =>
          api.move({
            target_runtime: target.runtime,
            targetResource: target.resource,
            jobInfo: job,
            ...(options.dropState ? { dropState: true } : {}),
          }),
      );
      printJob(ctx, options.output, final);
    });
}

export function parseTarget(value: string): { runtime: RuntimeKind; resource: string } {
  const slash = value.indexOf('/');
  const runtime = value.slice(0, slash);
  const resource = value.slice(slash + 1);
  if (slash < 0 || !(RUNTIME_KINDS as readonly string[]).includes(runtime) || resource === '') {
    throw new UsageError(
      '--to',
      `must be <runtime>/<resource> with runtime ${RUNTIME_KINDS.join(' or ')} (e.g. edge/gw2, flink/flink), got ${value}`,
    );
  }
  return { runtime: runtime as RuntimeKind, resource };
}
