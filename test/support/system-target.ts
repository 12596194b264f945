/**
 * A running ruleshift an operator's surface (the CLI, the console) is tested against: the
 * embedded `npm start` or proxy + adapter + agents as separate processes on RabbitMQ and
 * PostgreSQL. The shared scenarios take one, so each surface is tested against both the same way.
 */
export interface SystemTarget {
  /** Where the API (and the console) answers, e.g. http://127.0.0.1:3000. */
  url: string;
  /** An admin bearer token. */
  adminToken: string;
  /** Output of the system's processes, printed when a test fails ('' for the embedded one). */
  logs(): string;
  close(): Promise<void>;
}

export interface ApiAnswer {
  status: number;
  json: unknown;
}

/** One API call as the target's admin. */
export async function adminApi(
  target: SystemTarget,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer> {
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${target.adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}
