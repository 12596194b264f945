import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { registerJobOperation } from './job-operation';

export const registerStart = (program: Command, ctx: CliContext) =>
  registerJobOperation(program, ctx, {
    name: 'start',
    description: 'start a rule (from INSTALLED, STOPPED or FAILED)',
    doing: 'starting',
    call: (api, job) => api.start(job),
  });
