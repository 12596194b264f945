/**
 * A stateful rule's emissions between two checkpoints. They are published only once the
 * checkpoint that holds them (and the state that produced them) is saved, so a crash can never
 * leave an output published whose inputs would be absorbed again. Every message gets a
 * deterministic id (jobId, checkpoint number, index, body hash) so that a republished outbox
 * can be dropped downstream.
 */
import type { Headers } from '@ruleshift/broker';
import { bodyFingerprint, fingerprintHex } from './body-fingerprint';

export interface OutboxMessage {
  kind: 'output' | 'dead-letter';
  /** Dead letters go out on the broker of the input they came from. */
  input: number;
  exchange: string;
  routingKey: string;
  body: Buffer;
  headers?: Headers;
  messageId?: string;
}

/** The snapshot's JSON form of one outbox message (docs/snapshot-format.md). */
export interface OutboxEntryJson {
  kind: 'output' | 'dead-letter';
  input: number;
  exchange: string;
  routingKey: string;
  messageId: string;
  /** `utf8` unless the bytes are not valid UTF-8 (a dead-lettered binary event). */
  encoding: 'utf8' | 'base64';
  body: string;
  headers?: Headers;
}

export function outboxMessageId(jobId: string, checkpoint: number, index: number, body: Buffer) {
  return `${jobId}:${checkpoint}:${index}:${fingerprintHex(bodyFingerprint(body))}`;
}

/** Gives each message of checkpoint `checkpoint` its id and returns the snapshot form. */
export function sealOutbox(
  jobId: string,
  checkpoint: number,
  messages: OutboxMessage[],
): OutboxEntryJson[] {
  return messages.map((message, index) => {
    message.messageId = outboxMessageId(jobId, checkpoint, index, message.body);
    return toJson(message, message.messageId);
  });
}

function toJson(message: OutboxMessage, messageId: string): OutboxEntryJson {
  const text = message.body.toString('utf8');
  const utf8 =
    Buffer.byteLength(text) === message.body.length && Buffer.from(text).equals(message.body);
  const entry: OutboxEntryJson = {
    kind: message.kind,
    input: message.input,
    exchange: message.exchange,
    routingKey: message.routingKey,
    messageId,
    encoding: utf8 ? 'utf8' : 'base64',
    body: utf8 ? text : message.body.toString('base64'),
  };
  if (message.headers) entry.headers = message.headers;
  return entry;
}

export function outboxFromJson(entries: unknown): OutboxMessage[] {
  if (!Array.isArray(entries)) return [];
  return entries.filter(isOutboxEntry).map((entry) => ({
    kind: entry.kind,
    input: entry.input,
    exchange: entry.exchange,
    routingKey: entry.routingKey,
    messageId: entry.messageId,
    headers: entry.headers,
    body: Buffer.from(entry.body, entry.encoding === 'base64' ? 'base64' : 'utf8'),
  }));
}

function isOutboxEntry(value: unknown): value is OutboxEntryJson {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<OutboxEntryJson>;
  return (
    (entry.kind === 'output' || entry.kind === 'dead-letter') &&
    typeof entry.input === 'number' &&
    typeof entry.exchange === 'string' &&
    typeof entry.routingKey === 'string' &&
    typeof entry.messageId === 'string' &&
    typeof entry.body === 'string'
  );
}
