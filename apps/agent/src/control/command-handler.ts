import type { AgentCommand, AgentReply } from '@ruleshift/contracts';
import { ValidationFailed } from '@ruleshift/contracts';
import type { RuleManager } from '../rules/rule-manager';
import { errorReply } from '../shared/reply-error';

const COMMAND_TYPES = new Set<AgentCommand['type']>([
  'install',
  'start',
  'stop',
  'uninstall',
  'status',
]);

function asCommand(payload: unknown): AgentCommand {
  const type = (payload as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !COMMAND_TYPES.has(type as AgentCommand['type'])) {
    throw new ValidationFailed([
      { field: 'type', reason: `must be one of ${[...COMMAND_TYPES].join(', ')}` },
    ]);
  }
  return payload as AgentCommand;
}

/** Turns one control-channel request into one AgentReply; never throws. */
export class CommandHandler {
  constructor(private readonly rules: RuleManager) {}

  async handle(payload: unknown): Promise<AgentReply> {
    try {
      return await this.dispatch(asCommand(payload));
    } catch (error) {
      return errorReply(error);
    }
  }

  private async dispatch(command: AgentCommand): Promise<AgentReply> {
    switch (command.type) {
      case 'install':
        return { ok: true, rule: await this.rules.install(command) };
      case 'start':
        return { ok: true, rule: await this.rules.start(command.jobId) };
      case 'stop':
        return { ok: true, ...(await this.rules.stop(command.jobId)) };
      case 'uninstall':
        return { ok: true, ...(await this.rules.uninstall(command.jobId)) };
      case 'status':
        return { ok: true, rules: this.rules.states() };
    }
  }
}
