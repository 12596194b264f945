import type { Headers, StoredMessage } from '@ruleshift/broker';
import { DEAD_LETTER_HEADERS, type DeadLetterMessage } from '@ruleshift/contracts';

/** A stored dead letter as the API shows it: headers as JSON, the body parsed when it is JSON. */
export function toDeadLetterMessage(letter: StoredMessage): DeadLetterMessage {
  const headers = jsonHeaders(letter.headers);
  const at = headers[DEAD_LETTER_HEADERS.deadLetteredAt];
  return {
    reason: reasonOf(letter),
    detail: text(headers[DEAD_LETTER_HEADERS.detail]) ?? '',
    headers,
    body: bodyOf(letter.body),
    deadLetteredAt: typeof at === 'string' ? at : null,
  };
}

export function reasonOf(letter: StoredMessage): string {
  return text(letter.headers[DEAD_LETTER_HEADERS.reason]) ?? 'unknown';
}

function bodyOf(body: Buffer): unknown {
  const content = body.toString('utf8');
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return content;
  }
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return undefined;
}

/** AMQP header values may be bytes, dates or nested tables: make each one JSON. */
function jsonHeaders(headers: Headers): Record<string, unknown> {
  const json: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) json[name] = jsonValue(value);
  return json;
}

function jsonValue(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value !== null && typeof value === 'object') {
    return jsonHeaders(value as Headers);
  }
  return value;
}
