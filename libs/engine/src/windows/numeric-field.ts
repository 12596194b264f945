import type { InputEvent } from '../edge-rule';
import { readField } from '../operators/read-field';
import { deadLetter, errorMessage, type Accessor, type DeadLetter } from './types';
import { missingDetail, wrongTypeDetail } from '../operators/dead-letter-detail';

/** The aggregated field: a finite JSON number, else a dead letter saying why not. */
export interface NumericField {
  readonly valueOf: Accessor;
  readonly path: string;
}

export function readNumber(field: NumericField, event: InputEvent): number | DeadLetter {
  let raw: unknown;
  try {
    raw = readField(field.valueOf, event);
  } catch (err) {
    return deadLetter('rule-error', `field ${field.path}: ${errorMessage(err)}`, event.value);
  }
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (raw === undefined) return deadLetter('missing-field', missingDetail(field.path), event.value);
  return deadLetter('wrong-type', wrongTypeDetail(field.path, 'a number', raw), event.value);
}
