import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_DEAD_LETTER_MAX_LENGTH,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
} from '@ruleshift/contracts';
import { PLACEMENT_ENV_SHAPE } from '@ruleshift/adapter';
import { DEFAULT_QUEUE_LIMITS } from '@ruleshift/broker';
import {
  AUTH_ENV_SHAPE,
  authOptionsFrom,
  requireCompleteOidc,
  type AuthOptions,
} from '@ruleshift/proxy';

const optionalUrl = (protocols: RegExp, hint: string) =>
  z
    .string()
    .refine((value) => protocols.test(value), `must be ${hint}`)
    .optional();

/** Broker URLs (EDGE_AMQP_URL, CORE_AMQP_URL, BROKER_*) are validated by brokerConfigFromEnv. */
const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Loopback unless said otherwise: exposing the API is a deliberate choice. */
    HOST: z.string().min(1).default('127.0.0.1'),
    RULESHIFT_DATA_DIR: z.string().min(1).default('.data'),
    DATABASE_URL: optionalUrl(/^postgres(ql)?:\/\//, 'a postgres:// URL'),
    ADAPTER_PUBLIC_URL: optionalUrl(/^https?:\/\//, 'an http:// or https:// URL'),
    ADAPTER_SIGNING_KEY_FILE: z.string().min(1).optional(),
    AGENT_ID: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" or "-"')
      .default('local'),
    AGENT_DATA_DIR: z.string().min(1).optional(),
    /** More in-process agents (comma-separated ids), e.g. to try a move with `npm start`. */
    EXTRA_AGENT_IDS: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]*(,[A-Za-z0-9][A-Za-z0-9._-]*)*$/,
        'comma-separated agent ids',
      )
      .optional(),
    HEARTBEAT_INTERVAL_MS: z.coerce
      .number()
      .int()
      .positive()
      .default(DEFAULT_HEARTBEAT_INTERVAL_MS),
    TEMPLATES_DIR: z.string().min(1).optional(),
    DEAD_LETTER_MAX_LENGTH: z.coerce
      .number()
      .int()
      .positive()
      .default(DEFAULT_DEAD_LETTER_MAX_LENGTH),
    /** Bounds of each in-process queue that declares none; a full one answers ingest with 503. */
    IN_MEMORY_QUEUE_MAX_LENGTH: z.coerce
      .number()
      .int()
      .positive()
      .default(DEFAULT_QUEUE_LIMITS.maxLength),
    IN_MEMORY_QUEUE_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(DEFAULT_QUEUE_LIMITS.maxLengthBytes),
    ...PLACEMENT_ENV_SHAPE,
    ...AUTH_ENV_SHAPE,
  })
  .superRefine(requireCompleteOidc);

export interface StandaloneEnv {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  publicUrl?: string;
  adapterSigningKeyFile?: string;
  agentId: string;
  agentDataDir?: string;
  extraAgentIds: string[];
  heartbeatIntervalMs: number;
  templatesDir?: string;
  deadLetterMaxLength: number;
  inMemoryQueueLimits: { maxLength: number; maxLengthBytes: number };
  /** PLACEMENT_INTERVAL_MS, as the adapter process reads it. */
  placementIntervalMs: number;
  /** adminToken is RULESHIFT_ADMIN_TOKEN here; main falls back to AdminTokenStore. */
  auth: AuthOptions;
}

/** Throws one error naming every bad variable, so `npm start` fails at boot and says why. */
export function parseStandaloneEnv(env: NodeJS.ProcessEnv): StandaloneEnv {
  // An empty variable (`DATABASE_URL=`) means unset, as in most .env tooling.
  const cleaned = Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value === '' ? undefined : value]),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment for ruleshift standalone:\n${lines.join('\n')}`);
  }
  const vars = parsed.data;
  const absolute = (p: string) => (isAbsolute(p) ? p : resolve(p));
  return {
    port: vars.PORT,
    host: vars.HOST,
    dataDir: absolute(vars.RULESHIFT_DATA_DIR),
    databaseUrl: vars.DATABASE_URL,
    publicUrl: vars.ADAPTER_PUBLIC_URL,
    adapterSigningKeyFile: vars.ADAPTER_SIGNING_KEY_FILE
      ? absolute(vars.ADAPTER_SIGNING_KEY_FILE)
      : undefined,
    agentId: vars.AGENT_ID,
    agentDataDir: vars.AGENT_DATA_DIR ? absolute(vars.AGENT_DATA_DIR) : undefined,
    extraAgentIds: vars.EXTRA_AGENT_IDS ? vars.EXTRA_AGENT_IDS.split(',') : [],
    heartbeatIntervalMs: vars.HEARTBEAT_INTERVAL_MS,
    templatesDir: vars.TEMPLATES_DIR ? absolute(vars.TEMPLATES_DIR) : undefined,
    deadLetterMaxLength: vars.DEAD_LETTER_MAX_LENGTH,
    inMemoryQueueLimits: {
      maxLength: vars.IN_MEMORY_QUEUE_MAX_LENGTH,
      maxLengthBytes: vars.IN_MEMORY_QUEUE_MAX_BYTES,
    },
    placementIntervalMs: vars.PLACEMENT_INTERVAL_MS,
    auth: authOptionsFrom(vars),
  };
}
