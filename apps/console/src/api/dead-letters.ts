/**
 * The dead-letters API: `GET /api/jobs/{jobId}/deadletters?limit=N` (a DeadLetterReport),
 * `POST .../deadletters/replay {count?}`, `DELETE .../deadletters`.
 */
export const deadLettersPath = (jobId: string): string =>
  `/api/jobs/${encodeURIComponent(jobId)}/deadletters`;
