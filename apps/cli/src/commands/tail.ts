import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { positiveInteger } from './options';

/**
 * `ruleshift tail EXCHANGE ROUTING_KEY [--count N]`: every message routed to the exchange with
 * the key, one JSON per line on stdout (pipe it to jq), until Ctrl-C or N messages.
 */
export function registerTail(program: Command, ctx: CliContext): void {
  program
    .command('tail <exchange> <routingKey>')
    .description('stream the events routed to an exchange, one JSON per line')
    .option('-n, --count <n>', 'stop after n events', positiveInteger('--count'))
    .action(async (exchange: string, routingKey: string, options: { count?: number }) => {
      const abort = new AbortController();
      const stop = () => abort.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      let seen = 0;
      try {
        await ctx.api().tail(
          exchange,
          routingKey,
          (json) => {
            if (abort.signal.aborted) return;
            ctx.out(json);
            seen += 1;
            if (options.count !== undefined && seen >= options.count) abort.abort();
          },
          abort.signal,
          // On stderr, so a script knows the tail is bound before it publishes.
          () => ctx.note(`tailing ${exchange} ${routingKey} (Ctrl-C stops)`),
        );
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}
