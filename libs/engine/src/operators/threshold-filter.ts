/**
 * The paper's filter: forwards the whole event when `<value at path> <condition> <threshold>`
 * holds. A number threshold needs a number value, a string threshold a string value (compared
 * by UTF-16 code-unit order, as Java's String.compareTo does on Flink). Anything else is a
 * dead letter, never a silent drop.
 */
import { FILTER_CONDITIONS, ValidationFailed, type FilterCondition } from '@ruleshift/contracts';
import type { OperatorFunction } from 'rxjs';
import type { InputEvent, RuleEmission } from '../edge-rule';
import { compileJsonPath, fieldNamePath } from '../json-path/json-path';
import { deadLetter, ruleError } from './emissions';
import { ForwardedEvent } from './forwarded-event';
import { readField } from './read-field';
import { perEvent } from './per-event';
import { missingDetail, wrongTypeDetail } from './dead-letter-detail';

export interface ThresholdFilterOptions {
  condition: FilterCondition;
  threshold: number | string;
  /** One top-level key (never a path; see fieldNamePath), read when fieldJsonPath is absent. */
  fieldName: string;
  /** Full JSONPath of the compared value. */
  fieldJsonPath?: string;
}

type Comparable = number | string;
// Both operands always have the same primitive type here (checked before comparing), so the
// casts only satisfy the compiler; JS compares two strings by code units.
type Comparator = (value: Comparable, threshold: Comparable) => boolean;

function comparatorFor(condition: FilterCondition): Comparator {
  switch (condition) {
    case '>':
      return (v, t) => (v as number) > (t as number);
    case '>=':
      return (v, t) => (v as number) >= (t as number);
    case '=':
      return (v, t) => v === t;
    case '<':
      return (v, t) => (v as number) < (t as number);
    case '<=':
      return (v, t) => (v as number) <= (t as number);
  }
}

/** Checks options the way the manifest's schema does, naming `jobProps.<prop>` fields. */
export function validateThresholdFilterOptions(options: unknown): ThresholdFilterOptions {
  const props = (typeof options === 'object' && options !== null ? options : {}) as Record<
    string,
    unknown
  >;
  const errors: { field: string; reason: string }[] = [];
  const { condition, threshold, fieldName, fieldJsonPath } = props;
  if (!FILTER_CONDITIONS.includes(condition as FilterCondition)) {
    errors.push({
      field: 'jobProps.condition',
      reason: `must be one of ${FILTER_CONDITIONS.join(' ')}`,
    });
  }
  const thresholdOk =
    (typeof threshold === 'number' && Number.isFinite(threshold)) || typeof threshold === 'string';
  if (!thresholdOk)
    errors.push({ field: 'jobProps.threshold', reason: 'must be a number or a string' });
  if (typeof fieldName !== 'string' || fieldName.length === 0) {
    errors.push({ field: 'jobProps.fieldName', reason: 'must be a non-empty string' });
  }
  if (fieldJsonPath !== undefined && typeof fieldJsonPath !== 'string') {
    errors.push({ field: 'jobProps.fieldJsonPath', reason: 'must be a string' });
  }
  if (errors.length > 0) throw new ValidationFailed(errors);
  return props as unknown as ThresholdFilterOptions;
}

/** The path the filter compares: `fieldJsonPath`, else `$.<fieldName>` (the template's fieldPaths). */
export function thresholdFilterPath(options: ThresholdFilterOptions): string {
  return options.fieldJsonPath ?? fieldNamePath(options.fieldName);
}

export function thresholdFilter(
  options: ThresholdFilterOptions,
): OperatorFunction<InputEvent, RuleEmission> {
  const validated = validateThresholdFilterOptions(options);
  const { condition, threshold, fieldJsonPath } = validated;
  const path = thresholdFilterPath(validated);
  const read = compileJsonPath(
    path,
    fieldJsonPath === undefined ? 'jobProps.fieldName' : 'jobProps.fieldJsonPath',
  );
  const compare = comparatorFor(condition);
  const expectedType = typeof threshold;
  return perEvent<InputEvent, RuleEmission>(
    (event) => {
      const actual = readField(read, event);
      if (actual === undefined) {
        return deadLetter('missing-field', missingDetail(path), event.value);
      }
      if (typeof actual !== expectedType) {
        return deadLetter(
          'wrong-type',
          wrongTypeDetail(path, `a ${expectedType}`, actual),
          event.value,
        );
      }
      return compare(actual as Comparable, threshold) ? new ForwardedEvent(event) : undefined;
    },
    (event, error) => ruleError(error, event.value),
  );
}
