/**
 * A broker refused an operation (AMQP channel error). Both implementations throw it with the
 * same reply codes, so code written against the in-process broker behaves the same on RabbitMQ.
 */
export const REPLY_CODES = {
  ACCESS_REFUSED: 403,
  NOT_FOUND: 404,
  RESOURCE_LOCKED: 405,
  PRECONDITION_FAILED: 406,
  CHANNEL_CLOSED: 504,
  /** A full queue refused a publish (RabbitMQ nacks it under `x-overflow: reject-publish`). */
  RESOURCE_ERROR: 506,
} as const;

export type ReplyCodeName = keyof typeof REPLY_CODES;

export class BrokerError extends Error {
  constructor(
    readonly replyCode: number,
    readonly replyText: string,
  ) {
    super(`${replyCode} ${replyText}`);
    this.name = 'BrokerError';
  }

  static of(code: ReplyCodeName, text: string): BrokerError {
    return new BrokerError(REPLY_CODES[code], `${code} - ${text}`);
  }

  /** Maps an amqplib error (which carries the AMQP reply `code`) to a BrokerError. */
  static from(err: unknown): BrokerError {
    if (err instanceof BrokerError) return err;
    const code = (err as { code?: unknown } | null)?.code;
    const message = err instanceof Error ? err.message : String(err);
    return new BrokerError(typeof code === 'number' ? code : REPLY_CODES.CHANNEL_CLOSED, message);
  }
}
