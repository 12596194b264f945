import { z } from 'zod';

/** What the HTTP API accepts in one request body. */
export interface BodyLimits {
  /** Rule operations (install, start, stop, move, uninstall). MAX_BODY_BYTES, default 1 MiB. */
  maxBodyBytes: number;
  /** Event ingest (`POST /api/events/...`). EVENTS_MAX_BODY_BYTES, default 5 MiB. */
  eventsMaxBodyBytes: number;
  /** Deepest nesting of arrays and objects in a JSON body. JSON_MAX_DEPTH, default 64. */
  jsonMaxDepth: number;
}

const MIB = 1024 * 1024;

const BodyLimitsEnvSchema = z.object({
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * MIB)
    .default(MIB),
  EVENTS_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * MIB)
    .default(5 * MIB),
  JSON_MAX_DEPTH: z.coerce.number().int().min(8).max(1000).default(64),
});

export const DEFAULT_BODY_LIMITS: BodyLimits = {
  maxBodyBytes: MIB,
  eventsMaxBodyBytes: 5 * MIB,
  jsonMaxDepth: 64,
};

/** Reads the limits once at boot; throws naming every bad variable. */
export function bodyLimitsFromEnv(env: NodeJS.ProcessEnv): BodyLimits {
  const result = BodyLimitsEnvSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid HTTP body limits:\n${lines.join('\n')}`);
  }
  return {
    maxBodyBytes: result.data.MAX_BODY_BYTES,
    eventsMaxBodyBytes: result.data.EVENTS_MAX_BODY_BYTES,
    jsonMaxDepth: result.data.JSON_MAX_DEPTH,
  };
}
