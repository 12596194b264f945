import type { Delivery, Headers } from '../broker-port';

/**
 * The RPC envelope: message id = request id, correlation id = request id, replyTo = the
 * caller's reply queue, `expiration` = the caller's remaining wait and this header = the same
 * deadline as epoch ms, so a server can tell how much of it is left when the request arrives.
 */
export const DEADLINE_HEADER = 'x-ruleshift-deadline';

/** What a handler learns about the request it serves. */
export interface RpcRequestContext {
  /** The request id (message id); redeliveries of one request share it. */
  readonly requestId?: string;
  /** Epoch ms after which the caller no longer waits; undefined when the caller sent none. */
  readonly deadline?: number;
  readonly delivery: Delivery;
}

export function deadlineHeaders(deadline: number): Headers {
  return { [DEADLINE_HEADER]: deadline };
}

/** The deadline a request carries, or undefined when it has none or it is not a number. */
export function readDeadline(headers: Headers): number | undefined {
  const raw = headers[DEADLINE_HEADER];
  const value = typeof raw === 'string' ? Number(raw) : raw;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
