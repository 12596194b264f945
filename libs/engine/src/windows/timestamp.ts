/**
 * Event timestamps: a ms-epoch number, or an ISO-8601 date-time with a zone designator
 * (`2024-05-01T12:00:00Z`, `...+02:00`, optional fraction). The zone is required because a
 * local time means something else on every machine, and the Flink jobs must agree.
 */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Returns the time in ms since epoch, or null when `value` is not a timestamp. */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.floor(value) : null;
  if (typeof value !== 'string' || !ISO_8601.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
