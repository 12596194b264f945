import { RuleshiftError, type AgentReply } from '@ruleshift/contracts';

/** Every failure crosses the control channel as `{ ok: false, error }`, never as a throw. */
export function errorReply(error: unknown): AgentReply {
  if (error instanceof RuleshiftError) {
    return { ok: false, error: { code: error.code, message: error.message } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: { code: 'RUNTIME_ERROR', message } };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
