/** `GET /api/jobs/{jobId}/deadletters?limit=N`: messages listed by default and at most. */
export const DEAD_LETTER_LIST_DEFAULT_LIMIT = 20;
export const DEAD_LETTER_LIST_MAX_LIMIT = 1000;

/** One dead letter as it waits in the rule's dead-letter queue. */
export interface DeadLetterMessage {
  /** `x-ruleshift-reason` (not-json, missing-field, wrong-type, late, rule-error). */
  reason: string;
  detail: string;
  /** Every header of the message, binary values as UTF-8 text. */
  headers: Record<string, unknown>;
  /** The event: parsed JSON when the bytes are JSON, else the text. */
  body: unknown;
  /** When the rule dead-lettered it; null when the runtime did not say (Flink jobs). */
  deadLetteredAt: string | null;
}

/** What a rule's dead-letter queue(s) hold now. */
export interface DeadLetterReport {
  jobId: string;
  /** Dead letters waiting, on every broker the rule touches. */
  total: number;
  byReason: Record<string, number>;
  /** Dead letters the bounded queue dropped (oldest first) since the adapter started counting. */
  overflowed: number;
  /** The most recent `limit` dead letters, newest first. */
  messages: DeadLetterMessage[];
}

export interface DeadLetterListRequest {
  jobId: string;
  limit?: number;
}

/** Replays the oldest `count` dead letters (default: all) to the rule's input, in order. */
export interface DeadLetterReplayRequest {
  jobId: string;
  count?: number;
}
