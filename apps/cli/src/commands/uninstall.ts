import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { registerJobOperation } from './job-operation';

export const registerUninstall = (program: Command, ctx: CliContext) =>
  registerJobOperation(program, ctx, {
    name: 'uninstall',
    description: 'uninstall a rule and delete the queues only it read',
    doing: 'uninstalling',
    call: (api, job) => api.uninstall(job),
  });
