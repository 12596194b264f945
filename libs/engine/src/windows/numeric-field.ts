import { deadLetter, errorMessage, type Accessor, type DeadLetter } from './types';
import { missingDetail, wrongTypeDetail } from '../operators/dead-letter-detail';

/** The aggregated field: a finite JSON number, else a dead letter saying why not. */
export interface NumericField {
  readonly valueOf: Accessor;
  readonly path: string;
}

export function readNumber(field: NumericField, value: unknown): number | DeadLetter {
  let raw: unknown;
  try {
    raw = field.valueOf(value);
  } catch (err) {
    return deadLetter('rule-error', `field ${field.path}: ${errorMessage(err)}`, value);
  }
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (raw === undefined) return deadLetter('missing-field', missingDetail(field.path), value);
  return deadLetter('wrong-type', wrongTypeDetail(field.path, 'a number', raw), value);
}
