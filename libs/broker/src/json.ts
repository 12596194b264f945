import type { Delivery } from './broker-port';

export const JSON_CONTENT_TYPE = 'application/json';

export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value ?? null), 'utf8');
}

/** Throws SyntaxError on a body that is not JSON: callers decide whether that is a dead letter. */
export function decodeJson<T = unknown>(body: Buffer | Delivery): T {
  const bytes = Buffer.isBuffer(body) ? body : body.body;
  return JSON.parse(bytes.toString('utf8')) as T;
}
