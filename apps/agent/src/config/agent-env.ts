import * as path from 'node:path';
import { z } from 'zod';
import { DEFAULT_HEARTBEAT_INTERVAL_MS, ValidationFailed } from '@ruleshift/contracts';

const schema = z.object({
  AGENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"')
    .default('local'),
  CORE_AMQP_URL: z.string().regex(/^amqps?:\/\//, 'must be an amqp:// or amqps:// URL'),
  EDGE_AMQP_URL: z.string().regex(/^amqps?:\/\//, 'must be an amqp:// or amqps:// URL'),
  RULESHIFT_DATA_DIR: z.string().min(1).default('.data'),
  AGENT_DATA_DIR: z.string().min(1).optional(),
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().positive().default(DEFAULT_HEARTBEAT_INTERVAL_MS),
});

export interface AgentEnv {
  agentId: string;
  dataDir: string;
  heartbeatIntervalMs: number;
}

/**
 * The separate agent process's settings. Both broker URLs are required here: a lone agent
 * process cannot share an in-process broker with anyone. Throws ValidationFailed naming
 * every bad variable.
 */
export function parseAgentEnv(env: NodeJS.ProcessEnv): AgentEnv {
  const blankToUndefined = Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value === '' ? undefined : value]),
  );
  const parsed = schema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new ValidationFailed(
      parsed.error.issues.map((issue) => ({
        field: issue.path.join('.'),
        reason: issue.message,
      })),
    );
  }
  const vars = parsed.data;
  return {
    agentId: vars.AGENT_ID,
    dataDir: path.resolve(
      vars.AGENT_DATA_DIR ?? path.join(vars.RULESHIFT_DATA_DIR, `agent-${vars.AGENT_ID}`),
    ),
    heartbeatIntervalMs: vars.HEARTBEAT_INTERVAL_MS,
  };
}
