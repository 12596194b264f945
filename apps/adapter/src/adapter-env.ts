import { resolve } from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_DEAD_LETTER_MAX_LENGTH,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
} from '@ruleshift/contracts';
import { PLACEMENT_ENV_SHAPE } from './placement/placement-env';
import { DEFAULT_ADAPTER_PREFETCH } from './transport/adapter-request-server';

const port = z.coerce.number().int().min(1).max(65535);

/** The separate adapter process: no embedded defaults for the database and the core broker. */
const AdapterEnvSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  CORE_AMQP_URL: z.string().regex(/^amqps?:\/\//, 'must be an amqp:// URL'),
  ADAPTER_HTTP_PORT: port.default(3001),
  ADAPTER_PUBLIC_URL: z.string().url().optional(),
  TEMPLATES_DIR: z.string().min(1).optional(),
  RULESHIFT_DATA_DIR: z.string().min(1).default('.data'),
  ADAPTER_SIGNING_KEY_FILE: z.string().min(1).optional(),
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().positive().default(DEFAULT_HEARTBEAT_INTERVAL_MS),
  ADAPTER_PREFETCH: z.coerce.number().int().positive().default(DEFAULT_ADAPTER_PREFETCH),
  ADAPTER_LEASE_TTL_MS: z.coerce.number().int().min(1000).default(10_000),
  ADAPTER_LEASE_RENEW_MS: z.coerce.number().int().min(100).default(2_000),
  UNINSTALLED_RETENTION_HOURS: z.coerce.number().positive().default(168),
  ...PLACEMENT_ENV_SHAPE,
  DEAD_LETTER_MAX_LENGTH: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_DEAD_LETTER_MAX_LENGTH),
});

export interface AdapterEnv {
  databaseUrl: string;
  coreAmqpUrl: string;
  httpPort: number;
  publicUrl: string;
  templatesDir?: string;
  /** Where the generated adapter signing key is kept when no key file is configured. */
  dataDir: string;
  signingKeyFile?: string;
  heartbeatIntervalMs: number;
  prefetch: number;
  leadership: { leaseTtlMs: number; renewIntervalMs: number };
  uninstalledRetentionMs: number;
  deadLetterMaxLength: number;
  placementIntervalMs: number;
}

/** Throws one error listing every bad variable, so a misconfigured deployment fails at boot. */
export function parseAdapterEnv(env: NodeJS.ProcessEnv): AdapterEnv {
  const result = AdapterEnvSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid adapter configuration: ${problems.join('; ')}`);
  }
  const e = result.data;
  if (e.ADAPTER_LEASE_RENEW_MS * 2 > e.ADAPTER_LEASE_TTL_MS) {
    throw new Error(
      'invalid adapter configuration: ADAPTER_LEASE_RENEW_MS must be at most half of ADAPTER_LEASE_TTL_MS',
    );
  }
  return {
    databaseUrl: e.DATABASE_URL,
    coreAmqpUrl: e.CORE_AMQP_URL,
    httpPort: e.ADAPTER_HTTP_PORT,
    publicUrl: e.ADAPTER_PUBLIC_URL ?? `http://127.0.0.1:${e.ADAPTER_HTTP_PORT}`,
    templatesDir: e.TEMPLATES_DIR ? resolve(e.TEMPLATES_DIR) : undefined,
    dataDir: resolve(e.RULESHIFT_DATA_DIR),
    signingKeyFile: e.ADAPTER_SIGNING_KEY_FILE ? resolve(e.ADAPTER_SIGNING_KEY_FILE) : undefined,
    heartbeatIntervalMs: e.HEARTBEAT_INTERVAL_MS,
    prefetch: e.ADAPTER_PREFETCH,
    leadership: { leaseTtlMs: e.ADAPTER_LEASE_TTL_MS, renewIntervalMs: e.ADAPTER_LEASE_RENEW_MS },
    uninstalledRetentionMs: e.UNINSTALLED_RETENTION_HOURS * 3600_000,
    deadLetterMaxLength: e.DEAD_LETTER_MAX_LENGTH,
    placementIntervalMs: e.PLACEMENT_INTERVAL_MS,
  };
}
