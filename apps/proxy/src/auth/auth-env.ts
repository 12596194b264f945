import { z } from 'zod';
import {
  DEFAULT_API_KEY_CACHE_TTL_MS,
  DEFAULT_FAILED_AUTH_LIMITS,
  type AuthOptions,
} from './auth-options';

/** Minimum length of RULESHIFT_ADMIN_TOKEN: guessing must stay out of reach. */
export const MIN_ADMIN_TOKEN_LENGTH = 24;

const httpsOrLocalUrl = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), 'must be an http:// or https:// URL');

/** The authentication variables, shared by the proxy's and the standalone process's env. */
export const AUTH_ENV_SHAPE = {
  RULESHIFT_ADMIN_TOKEN: z
    .string()
    .min(MIN_ADMIN_TOKEN_LENGTH, `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional(),
  OIDC_ISSUER: z.string().min(1).optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  OIDC_JWKS_URL: httpsOrLocalUrl.optional(),
  OIDC_ROLE_CLAIM: z.string().min(1).default('ruleshift_role'),
  AUTH_CACHE_TTL_MS: z.coerce.number().int().min(0).default(DEFAULT_API_KEY_CACHE_TTL_MS),
  AUTH_MAX_FAILURES: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_FAILED_AUTH_LIMITS.maxFailures),
  AUTH_FAILURE_WINDOW_S: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_FAILED_AUTH_LIMITS.windowSeconds),
  AUTH_BLOCK_S: z.coerce.number().int().positive().default(DEFAULT_FAILED_AUTH_LIMITS.blockSeconds),
};

const OIDC_KEYS = ['OIDC_ISSUER', 'OIDC_AUDIENCE', 'OIDC_JWKS_URL'] as const;

/** OIDC is all three variables or none. */
export function requireCompleteOidc(
  env: Partial<Record<(typeof OIDC_KEYS)[number], string>>,
  ctx: z.RefinementCtx,
): void {
  const oidc = OIDC_KEYS;
  const set = oidc.filter((key) => env[key] !== undefined);
  if (set.length > 0 && set.length < oidc.length) {
    for (const key of oidc.filter((k) => env[k] === undefined)) {
      ctx.addIssue({ code: 'custom', path: [key], message: `is required with ${set.join(', ')}` });
    }
  }
}

export const AuthEnvSchema = z.object(AUTH_ENV_SHAPE).superRefine(requireCompleteOidc);

export type AuthEnv = z.infer<typeof AuthEnvSchema>;

export function authOptionsFrom(env: AuthEnv): AuthOptions {
  return {
    adminToken: env.RULESHIFT_ADMIN_TOKEN,
    oidc:
      env.OIDC_ISSUER && env.OIDC_AUDIENCE && env.OIDC_JWKS_URL
        ? {
            issuer: env.OIDC_ISSUER,
            audience: env.OIDC_AUDIENCE,
            jwksUrl: env.OIDC_JWKS_URL,
            roleClaim: env.OIDC_ROLE_CLAIM,
          }
        : undefined,
    apiKeyCacheTtlMs: env.AUTH_CACHE_TTL_MS,
    failedAuth: {
      maxFailures: env.AUTH_MAX_FAILURES,
      windowSeconds: env.AUTH_FAILURE_WINDOW_S,
      blockSeconds: env.AUTH_BLOCK_S,
    },
  };
}
