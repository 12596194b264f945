import type { Command } from 'commander';
import { ApiFailure } from '../api/api-failure';
import type { CliContext } from '../cli-context';
import { readDocument } from '../input/read-document';
import { renderData } from '../output/output-format';
import { outputOption, type OutputOptions } from './options';

/** Events per request: well under the API's 100,000 and its 5 MB body limit for small events. */
export const PUBLISH_BATCH = 5_000;

/**
 * `ruleshift publish EXCHANGE ROUTING_KEY -f events.json`: one event or an array of them, sent
 * in batches; a refused batch says how many were published before it.
 */
export function registerPublish(program: Command, ctx: CliContext): void {
  program
    .command('publish <exchange> <routingKey>')
    .description('publish an event or an array of events from a YAML/JSON file')
    .requiredOption('-f, --file <file>', 'the event or the array of events')
    .addOption(outputOption())
    .action(
      async (exchange: string, routingKey: string, options: OutputOptions & { file: string }) => {
        const document = await readDocument(options.file);
        const events = Array.isArray(document) ? document : [document];
        const api = ctx.api();
        let published = 0;
        for (let start = 0; start < events.length; start += PUBLISH_BATCH) {
          try {
            published += (
              await api.publish(exchange, routingKey, events.slice(start, start + PUBLISH_BATCH))
            ).published;
          } catch (error) {
            if (published > 0 && error instanceof ApiFailure) {
              ctx.note(`${published} of ${events.length} events were published before this:`);
            }
            throw error;
          }
        }
        if (options.output === 'json' || options.output === 'yaml') {
          return ctx.out(renderData({ published }, options.output));
        }
        ctx.out(
          `published ${published} ${published === 1 ? 'event' : 'events'} to ${exchange} ${routingKey}`,
        );
      },
    );
}
