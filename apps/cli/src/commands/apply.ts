import type { Command } from 'commander';
import type { PipelineInfo, PipelineObject } from '@ruleshift/contracts';
import type { CliContext } from '../cli-context';
import { readDocument, requireObject } from '../input/read-document';
import { renderData } from '../output/output-format';
import { printResources } from '../output/print';
import { pipelineColumns } from '../output/resource-columns';
import { outputOption, type OutputOptions } from './options';

/**
 * `ruleshift apply -f pipeline.yaml [--start]`: creates the pipeline (every stage installed, or
 * none); `--start` starts it, downstream first. The API has no update of a pipeline: applying
 * a name that exists is the API's 409 (exit 4).
 */
export function registerApply(program: Command, ctx: CliContext): void {
  program
    .command('apply')
    .description('create a pipeline of rules from a YAML/JSON file')
    .requiredOption('-f, --file <file>', 'the pipeline object: name and stages')
    .option('--start', 'start every stage once all are installed')
    .addOption(outputOption())
    .action(async (options: OutputOptions & { file: string; start?: boolean }) => {
      const pipeline = requireObject(await readDocument(options.file), options.file);
      const api = ctx.api();
      const progress = ctx.progress();
      progress.step(`installing the stages of ${String(pipeline.name)}`);
      let info: PipelineInfo;
      try {
        info = await api.createPipeline(pipeline as unknown as PipelineObject);
        if (options.start) {
          progress.step('starting them, downstream first');
          info = await api.pipelineOperation(info.pipelineId, 'start');
        }
      } catch (error) {
        progress.finish();
        throw error;
      }
      progress.finish(info.status);
      if (options.output === 'json' || options.output === 'yaml') {
        return ctx.out(renderData(info, options.output));
      }
      printResources(ctx, options.output, [info], pipelineColumns, '');
    });
}
