import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { registerJobOperation } from './job-operation';

export const registerStop = (program: Command, ctx: CliContext) =>
  registerJobOperation(program, ctx, {
    name: 'stop',
    description: 'stop a running rule (Flink takes a savepoint)',
    doing: 'stopping',
    call: (api, job) => api.stop(job),
  });
