import { Command, CommanderError } from 'commander';
import { CliContext, DEFAULT_SERVER, type CliIo } from './cli-context';
import { registerApply } from './commands/apply';
import { registerCompletion } from './commands/completion';
import { registerDeadLetters } from './commands/deadletters';
import { registerDescribe } from './commands/describe';
import { registerGet } from './commands/get';
import { registerInstall } from './commands/install';
import { registerMove } from './commands/move';
import { registerPublish } from './commands/publish';
import { registerStart } from './commands/start';
import { registerStop } from './commands/stop';
import { registerTail } from './commands/tail';
import { registerUninstall } from './commands/uninstall';
import { EXIT, describeFailure, exitCodeFor, type ExitCode } from './exit-codes';

/** The `ruleshift` program: global options, then one command per file under commands/. */
export function buildProgram(io: CliIo, version: string): { program: Command; ctx: CliContext } {
  const program = new Command('ruleshift');
  const ctx = new CliContext(io, program);
  program
    .description('Operate ruleshift from the shell: install, move and watch stream rules.')
    .version(version, '-v, --version')
    .option('-s, --server <url>', `API base URL (env RULESHIFT_SERVER, default ${DEFAULT_SERVER})`)
    .option(
      '-t, --token <token>',
      'bearer token (env RULESHIFT_TOKEN; default: .data/admin-token of a local npm start)',
    )
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 2 usage or invalid input (API 400), 3 not found (404), 4 conflict (409),
5 server or runtime error (5xx, unreachable, a rule that ended FAILED), 6 not allowed (401, 403, 429).`,
    );
  for (const register of [
    registerInstall,
    registerStart,
    registerStop,
    registerUninstall,
    registerMove,
    registerGet,
    registerDescribe,
    registerTail,
    registerPublish,
    registerDeadLetters,
    registerApply,
    registerCompletion,
  ]) {
    register(program, ctx);
  }
  // Subcommands inherit the program's output and exit handling.
  for (const command of program.commands) {
    command.exitOverride().configureOutput(program.configureOutput());
    command.showSuggestionAfterError();
  }
  return { program, ctx };
}

/** Runs one command line and returns its exit code; errors are one line on stderr. */
export async function runCli(argv: string[], io: CliIo, version: string): Promise<ExitCode> {
  const { program } = buildProgram(io, version);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "fail" with exit code 0; commander already printed its own message.
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    const code = exitCodeFor(error);
    io.stderr.write(`${describeFailure(error)}\n`);
    if (code === EXIT.INTERNAL && error instanceof Error && error.stack) {
      io.stderr.write(`${error.stack}\n`);
    }
    return code;
  }
}
