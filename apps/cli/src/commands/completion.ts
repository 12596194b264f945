import type { Command } from 'commander';
import { UsageError } from '../api/api-failure';
import type { CliContext } from '../cli-context';
import { bashCompletion, zshCompletion } from '../completion/completion-script';

/** `ruleshift completion bash|zsh`: prints the script to source in the shell's rc file. */
export function registerCompletion(program: Command, ctx: CliContext): void {
  program
    .command('completion <shell>')
    .description('print a completion script: source <(ruleshift completion bash)')
    .action((shell: string) => {
      if (shell === 'bash') return ctx.out(bashCompletion(program));
      if (shell === 'zsh') return ctx.out(zshCompletion(program));
      throw new UsageError('SHELL', `must be bash or zsh, got ${shell}`);
    });
}
