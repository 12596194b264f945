/**
 * Compiles a rule's `when` (JSON) into a plain function once, at start: no eval, no Function.
 * all/any evaluate left to right and stop at the first deciding condition, so
 * `{all: [{path, op: 'exists'}, {path, op: '>', ...}]}` guards a comparison against a missing
 * field. A comparison on a missing value, or on a value of a type its operator cannot compare,
 * throws a RuleRejection (the event is dead-lettered with the rule's name).
 */
import { RE2JS } from 're2js';
import { compileJsonPath } from '../json-path/json-path';
import type { Condition } from './business-rules-props';
import { jsonEqual } from './json-values';
import { RuleRejection } from './rule-rejection';

export type CompiledCondition = (event: unknown) => boolean;

export function compileCondition(condition: Condition, rule: string): CompiledCondition {
  if ('all' in condition) {
    const parts = condition.all.map((c) => compileCondition(c, rule));
    return (event) => {
      for (const part of parts) if (!part(event)) return false;
      return true;
    };
  }
  if ('any' in condition) {
    const parts = condition.any.map((c) => compileCondition(c, rule));
    return (event) => {
      for (const part of parts) if (part(event)) return true;
      return false;
    };
  }
  if ('not' in condition) {
    const inner = compileCondition(condition.not, rule);
    return (event) => !inner(event);
  }
  return compileComparison(condition.path, condition.op, condition.value, rule);
}

function compileComparison(
  path: string,
  op: string,
  expected: unknown,
  rule: string,
): CompiledCondition {
  const read = compileJsonPath(path);
  if (op === 'exists') return (event) => read(event) !== undefined;
  const test = valueTest(path, op, expected, rule);
  return (event) => {
    const actual = read(event);
    if (actual === undefined) throw RuleRejection.missing(rule, path);
    return test(actual);
  };
}

function valueTest(
  path: string,
  op: string,
  expected: unknown,
  rule: string,
): (actual: unknown) => boolean {
  switch (op) {
    case '=':
      return (actual) => jsonEqual(actual, expected);
    case '!=':
      return (actual) => !jsonEqual(actual, expected);
    case '>':
    case '>=':
    case '<':
    case '<=':
      return orderingTest(path, op, expected as number | string, rule);
    case 'in': {
      const list = expected as unknown[];
      return (actual) => list.some((item) => jsonEqual(actual, item));
    }
    case 'contains':
      return (actual) => {
        if (Array.isArray(actual)) return actual.some((item) => jsonEqual(item, expected));
        if (typeof actual !== 'string') {
          throw RuleRejection.wrongType(rule, path, actual, 'contains needs a string or an array');
        }
        if (typeof expected !== 'string') {
          throw RuleRejection.wrongType(rule, path, actual, 'contains needs a string value for it');
        }
        return actual.includes(expected);
      };
    case 'matches': {
      const pattern = RE2JS.compile(expected as string);
      return (actual) => {
        if (typeof actual !== 'string') {
          throw RuleRejection.wrongType(rule, path, actual, 'matches needs a string');
        }
        return pattern.matcher(actual).find();
      };
    }
    default:
      throw new Error(`unknown op ${op}`);
  }
}

function orderingTest(
  path: string,
  op: '>' | '>=' | '<' | '<=',
  expected: number | string,
  rule: string,
): (actual: unknown) => boolean {
  const type = typeof expected;
  const needs = `${op} needs ${type === 'number' ? 'a number' : 'a string'}`;
  // Both operands have the same primitive type once checked; JS compares two strings by UTF-16
  // code units, as Java's String.compareTo does on Flink.
  const compare =
    op === '>'
      ? (a: number | string) => a > expected
      : op === '>='
        ? (a: number | string) => a >= expected
        : op === '<'
          ? (a: number | string) => a < expected
          : (a: number | string) => a <= expected;
  return (actual) => {
    if (typeof actual !== type) throw RuleRejection.wrongType(rule, path, actual, needs);
    return compare(actual as number | string);
  };
}
