/**
 * Runs every templates/<jobType>/vectors/*.json whose template has an edge artifact through
 * that artifact, so each template's edge semantics match the shared vectors (Flink runs the
 * same files). New templates are picked up without touching this file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadEdgeRuleModule } from './load-edge-rule-module';
import {
  asMultiset,
  canonicalJson,
  runVector,
  vectorDeadLetterHeaders,
  type TestVector,
} from './testing/vector-harness';

const templatesDir = resolve(__dirname, '../../../templates');

const cases = readdirSync(templatesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => ({ jobType: entry.name, dir: join(templatesDir, entry.name) }))
  .filter(({ dir }) => existsSync(join(dir, 'edge', 'rule.js')) && existsSync(join(dir, 'vectors')))
  .flatMap(({ jobType, dir }) =>
    readdirSync(join(dir, 'vectors'))
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((file) => ({ jobType, file, dir })),
  );

describe('template vectors on the edge engine', () => {
  it('finds the filter vectors at least', () => {
    expect(cases.filter((c) => c.jobType === 'filter').length).toBeGreaterThanOrEqual(6);
  });

  it('finds at least 15 business-rules vectors', () => {
    expect(cases.filter((c) => c.jobType === 'business-rules').length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases.map((c) => [`${c.jobType}/${c.file}`, c] as const))('%s', async (_label, c) => {
    const vector = JSON.parse(readFileSync(join(c.dir, 'vectors', c.file), 'utf8')) as TestVector;
    const module = loadEdgeRuleModule(join(c.dir, 'edge', 'rule.js'));
    expect(module.jobType).toBe(c.jobType);

    const actual = await runVector(module, vector);

    // Exact comparison (toEqual, no tolerance), as the Flink side does: outputs, and dead
    // letters by every header the runner publishes them with (reason and detail included);
    // every dead letter carries one of the inputs, unchanged.
    const expectedHeaders = vector.expected.deadLetters.map((letter) =>
      vectorDeadLetterHeaders(c.jobType, letter),
    );
    const inputs = vector.inputs.map((item) => canonicalJson(item.raw ?? item.event));
    for (const value of actual.deadLetterValues) expect(inputs).toContain(canonicalJson(value));
    if (vector.ordered) {
      expect(actual.outputs).toEqual(vector.expected.outputs);
      expect(actual.deadLetterHeaders).toEqual(expectedHeaders);
      if (vector.expected.routingKeys) {
        expect(actual.routingKeys).toEqual(vector.expected.routingKeys);
      }
    } else {
      expect(asMultiset(actual.outputs)).toEqual(asMultiset(vector.expected.outputs));
      expect(asMultiset(actual.deadLetterHeaders)).toEqual(asMultiset(expectedHeaders));
    }
  });
});
