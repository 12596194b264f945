import * as path from 'node:path';
import { z } from 'zod';
import { DEFAULT_HEARTBEAT_INTERVAL_MS, ValidationFailed } from '@ruleshift/contracts';
import { DEFAULT_ARTIFACT_MAX_BYTES, DEFAULT_ARTIFACT_TIMEOUT_MS } from '../bundles/fetch-artifact';

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
  AGENT_ADAPTER_URL: z.string().regex(/^https?:\/\/[^/]/, 'must be an http:// or https:// URL'),
  AGENT_ENROLMENT_TOKEN: z.string().min(1).optional(),
  AGENT_ARTIFACT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_ARTIFACT_TIMEOUT_MS),
  AGENT_ARTIFACT_MAX_BYTES: z.coerce.number().int().positive().default(DEFAULT_ARTIFACT_MAX_BYTES),
  AGENT_WORKER_MAX_HEAP_MB: z.coerce.number().int().min(16).optional(),
});

export interface AgentEnv {
  agentId: string;
  dataDir: string;
  heartbeatIntervalMs: number;
  adapterUrl: string;
  enrolmentToken?: string;
  artifactLimits: { timeoutMs: number; maxBytes: number };
  /** Heap limit of the rule host worker (MB); unset: the agent's default. */
  workerMaxHeapMb?: number;
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
    adapterUrl: vars.AGENT_ADAPTER_URL,
    enrolmentToken: vars.AGENT_ENROLMENT_TOKEN,
    artifactLimits: {
      timeoutMs: vars.AGENT_ARTIFACT_TIMEOUT_MS,
      maxBytes: vars.AGENT_ARTIFACT_MAX_BYTES,
    },
    workerMaxHeapMb: vars.AGENT_WORKER_MAX_HEAP_MB,
  };
}
