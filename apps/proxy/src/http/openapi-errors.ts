import type { OpenAPIObject } from '@nestjs/swagger';
import { HTTP_STATUS_BY_CODE, type ErrorCode } from '@ruleshift/contracts';
import { REQUIRED_ROLE_EXTENSION } from '../auth/roles.decorator';

/** The name of the security scheme every guarded operation requires. */
export const BEARER_SCHEME = 'bearer';
export const ERROR_BODY_SCHEMA = 'ErrorBody';

const BEARER_DESCRIPTION =
  'Authorization: Bearer <token>, one of: an API key (rs_..., POST /api/tokens), the bootstrap ' +
  'admin token (RULESHIFT_ADMIN_TOKEN, or .data/admin-token of npm start), or a JWT of the ' +
  'configured OIDC issuer (OIDC_ISSUER, OIDC_AUDIENCE, OIDC_ROLE_CLAIM). Roles: viewer < ' +
  'operator < admin; each operation names its least role in x-ruleshift-role.';

const ERROR_CODES = Object.entries(HTTP_STATUS_BY_CODE)
  .filter(([, status]) => status >= 400)
  .map(([code]) => code as ErrorCode);

const ERROR_BODY = {
  type: 'object',
  description: 'Every error answer of the API has this shape.',
  required: ['statusCode', 'code', 'message', 'errors'],
  properties: {
    statusCode: { type: 'integer', description: 'The HTTP status, repeated.' },
    code: { type: 'string', enum: ERROR_CODES },
    message: { type: 'string' },
    errors: {
      type: 'array',
      description: 'One entry per offending field (empty when no field is to blame).',
      items: {
        type: 'object',
        required: ['field', 'reason'],
        properties: {
          field: {
            type: 'string',
            description: 'Dotted path, e.g. jobProps.condition or headers.authorization.',
          },
          reason: { type: 'string' },
        },
      },
    },
  },
};

const WHY: Record<number, string> = {
  400: 'VALIDATION_FAILED: the body, a path or query parameter is invalid; errors name each field',
  401: 'UNAUTHENTICATED: no bearer token, or one that is unknown, expired or revoked',
  403: "FORBIDDEN: the token's role is below the operation's (x-ruleshift-role)",
  404: 'NOT_FOUND: an unknown job, pipeline, template, target resource, API key or agent',
  409: "CONFLICT: the job's status does not allow it, or another operation holds the job",
  413: 'VALIDATION_FAILED (field body): the body is larger than the limit',
  415: 'VALIDATION_FAILED (field body): an unsupported Content-Encoding',
  429: 'TOO_MANY_REQUESTS: too many failed authentications from this address; see Retry-After',
  500: 'INTERNAL: an unexpected error (details only in the log)',
  502: 'RUNTIME_ERROR: the runtime (agent or Flink) refused or failed the operation',
  503: 'RUNTIME_UNAVAILABLE: the adapter, a broker or the target runtime is unreachable, or the process is still starting (Retry-After)',
};

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
};

/** Operations that act on a job or pipeline through the adapter and a runtime. */
const RULE_OPERATION =
  /^\/api\/(install|uninstall|start|stop|move|jobs\/\{jobId\}\/.+|pipelines(\/.*)?)$/;

/** The error statuses an operation can answer, from what it takes and what it needs. */
export function errorStatusesOf(
  method: string,
  path: string,
  operation: { requestBody?: unknown; parameters?: Array<{ in?: string }> },
  role: string,
): number[] {
  const statuses = new Set<number>([429, 500]);
  if (role !== 'public') [401, 403, 503].forEach((s) => statuses.add(s));
  if (operation.requestBody) [400, 413, 415].forEach((s) => statuses.add(s));
  const parameters = operation.parameters ?? [];
  if (parameters.length > 0) statuses.add(400);
  if (parameters.some((p) => p.in === 'path')) statuses.add(404);
  if (method !== 'get' && RULE_OPERATION.test(path))
    [404, 409, 502].forEach((s) => statuses.add(s));
  return [...statuses].sort((a, b) => a - b);
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/**
 * Completes the generated document with what decorators do not say on every route: the bearer
 * scheme (API keys and OIDC JWTs alike) required by every operation but the public ones, and
 * the error answers each operation can give, all in the one `ErrorBody` shape.
 */
export function describeErrorsAndSecurity(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.securitySchemes = {
    ...document.components.securitySchemes,
    [BEARER_SCHEME]: { type: 'http', scheme: 'bearer', description: BEARER_DESCRIPTION },
  };
  document.components.schemas = {
    ...document.components.schemas,
    [ERROR_BODY_SCHEMA]: ERROR_BODY as never,
  };
  document.security = [{ [BEARER_SCHEME]: [] }];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      // As the guard: an operation naming no role needs admin.
      const extensions = operation as unknown as Record<string, unknown>;
      const named = extensions[REQUIRED_ROLE_EXTENSION];
      const role = typeof named === 'string' ? named : 'admin';
      extensions[REQUIRED_ROLE_EXTENSION] = role;
      operation.security = role === 'public' ? [] : [{ [BEARER_SCHEME]: [] }];
      operation.responses ??= {};
      for (const status of errorStatusesOf(method, path, operation as never, role)) {
        operation.responses[String(status)] = {
          description: WHY[status],
          ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
          content: {
            'application/json': { schema: { $ref: `#/components/schemas/${ERROR_BODY_SCHEMA}` } },
          },
        };
      }
    }
  }
  return document;
}
