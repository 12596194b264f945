/**
 * The window templates' shared vectors through their edge rule.js, with the windows toolkit.
 * (libs/engine/src/vectors.spec.ts runs them too once the lead wires the toolkit.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createProgram,
  runInputs,
  split,
  TEMPLATES_DIR,
  type WindowVector,
} from './testing/window-toolkit';

const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
};
const multiset = (items: unknown[]): string[] => items.map(canonical).sort();

const cases = ['window-aggregation', 'window-join'].flatMap((jobType) =>
  readdirSync(join(TEMPLATES_DIR, jobType, 'vectors'))
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map(
      (file) =>
        [`${jobType}/${file}`, jobType, join(TEMPLATES_DIR, jobType, 'vectors', file)] as const,
    ),
);

describe('window template vectors on the edge engine', () => {
  it('has at least 5 vectors per template', () => {
    expect(cases.filter((c) => c[1] === 'window-aggregation').length).toBeGreaterThanOrEqual(5);
    expect(cases.filter((c) => c[1] === 'window-join').length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases)('%s', async (_label, jobType, file) => {
    const vector = JSON.parse(readFileSync(file, 'utf8')) as WindowVector;
    const actual = split(await runInputs(createProgram(jobType, vector.jobProps), vector.inputs));
    if (vector.ordered) {
      expect(actual).toEqual(vector.expected);
    } else {
      expect(multiset(actual.outputs)).toEqual(multiset(vector.expected.outputs));
      expect(multiset(actual.deadLetters)).toEqual(multiset(vector.expected.deadLetters));
    }
  });
});
