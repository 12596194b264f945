/**
 * A job id as the adapter issues it: a lower-case UUID (`randomUUID()`). Anything else, an
 * upper-case spelling of a real id included, names no job: the registry would match it
 * case-insensitively in PostgreSQL and not in memory, so it is refused the same way everywhere.
 */
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isJobId(value: unknown): value is string {
  return typeof value === 'string' && JOB_ID.test(value);
}
