/**
 * The dead-letters API (lane `operator`'s contract): `GET /api/jobs/{jobId}/deadletters?limit=N`,
 * `POST .../deadletters/replay {count?}`, `DELETE .../deadletters`.
 */
export interface DeadLetterMessage {
  reason: string;
  detail?: string;
  headers: Record<string, unknown>;
  body: unknown;
  deadLetteredAt?: string;
}

export interface DeadLetters {
  jobId: string;
  total: number;
  byReason: Record<string, number>;
  overflowed: number;
  messages: DeadLetterMessage[];
}

export const deadLettersPath = (jobId: string): string =>
  `/api/jobs/${encodeURIComponent(jobId)}/deadletters`;
