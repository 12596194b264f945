/**
 * The `x-ruleshift-detail` text of each dead letter, word for word the same on the Flink jobs
 * (templates/flink, `DeadLetterDetail.java`): the shared vectors compare it exactly on both
 * engines, so it says only what both know (a JSON parser's own message, or the current
 * watermark at a late event, differs between them).
 */

export const NOT_JSON_DETAIL = 'the body is not valid JSON';

/** Nothing at `path` (`undefined` after reading it). */
export const missingDetail = (path: string): string => `no value at ${path}`;

/** The value at `path` is not of the type the rule needs (`expected`: "a number", ...). */
export const wrongTypeDetail = (path: string, expected: string, found: unknown): string =>
  `${path} must be ${expected}, found ${jsonTypeName(found)}`;

export const TIMESTAMP_TYPE = 'a ms-epoch number or an ISO-8601 date-time with zone';

/** A window aggregation's event none of whose windows is open any more. */
export const lateDetail = (time: number, allowedLatenessMs: number): string =>
  `event time ${time} is behind the watermark by more than allowedLatenessMs ${allowedLatenessMs}`;

/** A window join's event whose tumbling window the watermark has closed. */
export const lateJoinDetail = (time: number, start: number, end: number): string =>
  `event time ${time} is in window [${start},${end}) that the watermark already closed`;

/** An event of a new key while `maxKeys` keys hold state. */
export const stateLimitDetail = (maxKeys: number): string =>
  `state limit: ${maxKeys} keys (maxKeys) hold state`;

/** JSON's own names: number, string, boolean, null, array, object. */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
