import type { Command } from 'commander';
import { UsageError } from '../api/api-failure';
import type { CliContext } from '../cli-context';
import { placementOf } from '../output/format';
import { printResources } from '../output/print';
import {
  jobColumns,
  pipelineColumns,
  runtimeColumns,
  templateColumns,
} from '../output/resource-columns';
import { outputOption, type OutputOptions } from './options';

export const RESOURCES = ['jobs', 'runtimes', 'templates', 'pipelines'] as const;
type Resource = (typeof RESOURCES)[number];

/** Singular names are accepted too, as kubectl does (`get job`). */
export function parseResource(value: string): Resource {
  const plural = value.endsWith('s') ? value : `${value}s`;
  if ((RESOURCES as readonly string[]).includes(plural)) return plural as Resource;
  throw new UsageError('RESOURCE', `must be one of ${RESOURCES.join(', ')}, got ${value}`);
}

/** `ruleshift get jobs|runtimes|templates|pipelines [-o table|json|yaml|name] [-A]`. */
export function registerGet(program: Command, ctx: CliContext): void {
  program
    .command('get <resource>')
    .description(`list ${RESOURCES.join(', ')}`)
    .option('-A, --all', 'jobs: include UNINSTALLED ones (kept for a week)')
    .addOption(outputOption())
    .action(async (resourceName: string, options: OutputOptions & { all?: boolean }) => {
      const resource = parseResource(resourceName);
      const api = ctx.api();
      const now = Date.now();
      switch (resource) {
        case 'jobs': {
          const jobs = await api.jobs();
          const shown = options.all ? jobs : jobs.filter((j) => j.jobStatus !== 'UNINSTALLED');
          return printResources(ctx, options.output, shown, jobColumns(now), 'No jobs.');
        }
        case 'runtimes': {
          const [runtimes, jobs] = await Promise.all([api.runtimes(), api.jobs()]);
          runtimes.sort((a, b) => placementOf(a).localeCompare(placementOf(b)));
          const columns = runtimeColumns(now, jobs);
          return printResources(ctx, options.output, runtimes, columns, 'No runtimes.');
        }
        case 'templates':
          return printResources(
            ctx,
            options.output,
            await api.templates(),
            templateColumns,
            'No templates.',
          );
        case 'pipelines':
          return printResources(
            ctx,
            options.output,
            await api.pipelines(),
            pipelineColumns,
            'No pipelines.',
          );
      }
    });
}
