import { ValidationFailed } from '@ruleshift/contracts';

/** A connector endpoint, resolved: a configured broker name or a credential-free AMQP URL. */
export type ParsedEndpoint = { kind: 'named'; name: string } | { kind: 'url'; url: AmqpAddress };

export interface AmqpAddress {
  protocol: 'amqp' | 'amqps';
  host: string;
  port: number;
  vhost: string;
  /** Canonical credential-free form, e.g. `amqp://rabbit:5672/edge`. */
  name: string;
}

/** Broker names are lower-case, as configured (BROKER_<NAME>_URL is read as `<name>`). */
const BROKER_NAME = /^[a-z][a-z0-9_-]*$/;
/** Longer than any broker name or AMQP URL an operator writes; keeps error messages short. */
const MAX_ENDPOINT_LENGTH = 1024;
const DEFAULT_PORTS = { amqp: 5672, amqps: 5671 } as const;

/** Parses an endpoint as given in a connector. Throws ValidationFailed naming `field`. */
export function parseEndpoint(endpoint: unknown, field: string): ParsedEndpoint {
  if (typeof endpoint !== 'string' || endpoint.trim() === '') {
    throw new ValidationFailed([{ field, reason: 'must be a broker name or an amqp(s):// URL' }]);
  }
  if (endpoint.length > MAX_ENDPOINT_LENGTH) {
    throw new ValidationFailed([
      { field, reason: `must be at most ${MAX_ENDPOINT_LENGTH} characters` },
    ]);
  }
  if (!endpoint.includes('://')) {
    if (!BROKER_NAME.test(endpoint)) {
      const hint =
        endpoint.toLowerCase() !== endpoint && BROKER_NAME.test(endpoint.toLowerCase())
          ? ` (broker names are lower-case: '${endpoint.toLowerCase()}')`
          : '';
      throw new ValidationFailed([
        { field, reason: `'${endpoint}' is not a valid broker name${hint}` },
      ]);
    }
    return { kind: 'named', name: endpoint };
  }
  const parsed = parseUrl(endpoint, field, false);
  return { kind: 'url', url: parsed.address };
}

/**
 * Parses an AMQP URL. Server configuration may carry credentials (`allowCredentials`);
 * API objects may not, so a connector URL with a user or password is refused.
 */
export function parseUrl(
  raw: string,
  field: string,
  allowCredentials: boolean,
): { address: AmqpAddress; username?: string; password?: string } {
  const fail = (reason: string): never => {
    throw new ValidationFailed([{ field, reason }]);
  };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail(`'${redactUrl(raw)}' is not a valid URL`);
  }
  const protocol = url.protocol.replace(/:$/, '');
  if (protocol !== 'amqp' && protocol !== 'amqps') return fail('must use amqp:// or amqps://');
  if (!allowCredentials && (url.username || url.password)) {
    return fail('must not carry credentials; they come from server configuration');
  }
  if (!url.hostname) return fail('has no host');
  if (!allowCredentials && (url.search || url.hash)) {
    return fail('must not carry query parameters or a fragment');
  }
  const path = url.pathname.replace(/^\//, '');
  if (path.includes('/')) return fail('vhost must be one path segment (encode "/" as %2F)');
  let vhost: string;
  try {
    vhost = path === '' ? '/' : decodeURIComponent(path);
  } catch {
    return fail('vhost is not valid percent-encoding');
  }
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[protocol];
  const host = url.hostname;
  const name = `${protocol}://${host}:${port}/${encodeURIComponent(vhost)}`;
  return {
    address: { protocol, host, port, vhost, name },
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
  };
}

/** The URL (or any text holding URLs) with user and password removed. Never throws. */
export function redactUrl(url: string): string {
  return url.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/?#\s]*@/gi, '$1');
}
