import { z } from 'zod';
import { AUTH_ENV_SHAPE, requireCompleteOidc } from '../auth/auth-env';

const amqpUrl = z
  .string()
  .min(1)
  .refine((value) => /^amqps?:\/\//.test(value), 'must be an amqp:// or amqps:// URL');

export const ProxyEnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Loopback unless said otherwise: exposing the API is a deliberate choice. */
    HOST: z.string().min(1).default('127.0.0.1'),
    CORE_AMQP_URL: amqpUrl,
    EDGE_AMQP_URL: amqpUrl,
    // Above the adapter's start margin (2 s) plus the reply's way back, or nothing could start.
    ADAPTER_TIMEOUT_MS: z.coerce.number().int().min(5_000).default(30_000),
    ...AUTH_ENV_SHAPE,
  })
  .superRefine(requireCompleteOidc)
  .superRefine((env, ctx) => {
    // Without either, nobody could ever be admin: no API key could be created.
    if (!env.RULESHIFT_ADMIN_TOKEN && !env.OIDC_ISSUER) {
      ctx.addIssue({
        code: 'custom',
        path: ['RULESHIFT_ADMIN_TOKEN'],
        message: 'is required unless OIDC_ISSUER, OIDC_AUDIENCE and OIDC_JWKS_URL are set',
      });
    }
  });

export type ProxyEnv = z.infer<typeof ProxyEnvSchema>;

/** Throws one error listing every bad variable, so a misconfigured deployment fails at boot. */
export function parseProxyEnv(env: NodeJS.ProcessEnv): ProxyEnv {
  const result = ProxyEnvSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid proxy environment:\n${lines.join('\n')}`);
  }
  return result.data;
}
