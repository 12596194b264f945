/**
 * The edge engine's half of the cross-engine cut-point vectors (templates/flink
 * StateMoveVectorsTest runs it with `npx tsx`):
 *
 *   vector-cuts.cli.ts snapshots <outDir>   for every window vector and every cut k (0..n): the
 *     edge rule's snapshot after the first k inputs (the stream not completed, as a stop for a
 *     move leaves it) and what it emitted until then, as <outDir>/<jobType>/<vector>/<k>.json
 *   vector-cuts.cli.ts resume <dir>         for every <dir>/<jobType>/<vector>/<name>.json
 *     ({ snapshot, resumeAt, outputs, deadLetters }: state and emissions of the runs before),
 *     the edge rule restored from `snapshot` runs inputs resumeAt..n to the end of input; the
 *     emissions before plus its own must be exactly the vector's. Prints one line per file and
 *     "N passed, N failed"; exits 1 when any failed.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Subject } from 'rxjs';
import type { RuleSnapshot } from '@ruleshift/contracts';
import type { EdgeRuleModule, EdgeRuleProgram } from '../edge-rule';
import { loadEdgeRuleModule } from '../load-edge-rule-module';
import { applyToEvents } from '../operators/apply-to-events';
import { parseJson, type RawInput } from '../operators/parse-json';
import { engineToolkit } from '../toolkit';
import { asMultiset, canonicalJson, vectorConfig, type TestVector } from './vector-harness';

const TEMPLATES = resolve(__dirname, '../../../../templates');
const WINDOW_TEMPLATES = ['window-aggregation', 'window-join'];

interface Emitted {
  outputs: unknown[];
  deadLetters: { reason: string; detail: string }[];
}

interface Cut extends Emitted {
  snapshot: Pick<RuleSnapshot, 'watermark' | 'state'>;
  resumeAt: number;
}

/** A rule fed one input at a time; the stream completes only when asked (end of input). */
class SteppedRule {
  readonly emitted: Emitted = { outputs: [], deadLetters: [] };
  private readonly inputs = new Subject<RawInput>();
  private tick = 0;

  constructor(readonly program: EdgeRuleProgram) {
    this.inputs
      .pipe(
        parseJson({ now: () => this.tick++, fieldPaths: program.fieldPaths }),
        applyToEvents(program.operator),
      )
      .subscribe((emission) => {
        if (emission.kind === 'output') this.emitted.outputs.push(emission.value);
        else this.emitted.deadLetters.push({ reason: emission.reason, detail: emission.detail });
      });
  }

  feed(items: TestVector['inputs']): void {
    for (const item of items) {
      this.inputs.next({ input: item.input, body: item.raw ?? JSON.stringify(item.event) });
    }
  }

  end(): void {
    this.inputs.complete();
  }
}

function windowVectors(): {
  jobType: string;
  name: string;
  vector: TestVector;
  module: EdgeRuleModule;
}[] {
  return WINDOW_TEMPLATES.flatMap((jobType) => {
    const module = loadEdgeRuleModule(join(TEMPLATES, jobType, 'edge', 'rule.js'));
    const dir = join(TEMPLATES, jobType, 'vectors');
    return readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .sort()
      .map((name) => ({
        jobType,
        name,
        module,
        vector: JSON.parse(readFileSync(join(dir, name), 'utf8')) as TestVector,
      }));
  });
}

function ruleOf(module: EdgeRuleModule, vector: TestVector): SteppedRule {
  return new SteppedRule(
    module.create(vectorConfig(module.jobType, vector.jobProps), engineToolkit),
  );
}

function writeSnapshots(outDir: string): void {
  for (const { jobType, name, module, vector } of windowVectors()) {
    for (let k = 0; k <= vector.inputs.length; k++) {
      const rule = ruleOf(module, vector);
      rule.feed(vector.inputs.slice(0, k));
      const cut: Cut = { snapshot: rule.program.snapshot!(), resumeAt: k, ...rule.emitted };
      const dir = join(outDir, jobType, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${k}.json`), JSON.stringify(cut));
    }
  }
}

/** Why the emissions differ from the vector's, or undefined when they are exactly its. */
function mismatch(vector: TestVector, actual: Emitted): string | undefined {
  const same = vector.ordered
    ? canonicalJson(actual.outputs) === canonicalJson(vector.expected.outputs)
    : canonicalJson(asMultiset(actual.outputs)) ===
      canonicalJson(asMultiset(vector.expected.outputs));
  const dead = (letters: { reason: string; detail: string }[]) =>
    asMultiset(letters.map(({ reason, detail }) => ({ reason, detail })));
  if (!same) {
    return `outputs ${canonicalJson(actual.outputs)}, expected ${canonicalJson(vector.expected.outputs)}`;
  }
  if (
    canonicalJson(dead(actual.deadLetters)) !== canonicalJson(dead(vector.expected.deadLetters))
  ) {
    return `dead letters ${canonicalJson(actual.deadLetters)}, expected ${canonicalJson(vector.expected.deadLetters)}`;
  }
  return undefined;
}

function resume(dir: string): number {
  const vectors = new Map(windowVectors().map((v) => [`${v.jobType}/${v.name}`, v]));
  let passed = 0;
  let failed = 0;
  for (const jobType of readdirSync(dir)) {
    for (const name of readdirSync(join(dir, jobType))) {
      const found = vectors.get(`${jobType}/${name}`);
      if (!found) throw new Error(`no vector ${jobType}/${name}`);
      for (const file of readdirSync(join(dir, jobType, name)).sort()) {
        const cut = JSON.parse(readFileSync(join(dir, jobType, name, file), 'utf8')) as Cut;
        const rule = ruleOf(found.module, found.vector);
        rule.program.restore!(cut.snapshot);
        rule.feed(found.vector.inputs.slice(cut.resumeAt));
        rule.end();
        const why = mismatch(found.vector, {
          outputs: [...cut.outputs, ...rule.emitted.outputs],
          deadLetters: [...cut.deadLetters, ...rule.emitted.deadLetters],
        });
        const label = `${jobType}/${name} ${file.replace(/\.json$/, '')}`;
        if (why) {
          failed++;
          console.log(`FAIL ${label}: ${why}\n  snapshot ${JSON.stringify(cut.snapshot)}`);
        } else {
          passed++;
          console.log(`ok   ${label}`);
        }
      }
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

const [command, dir] = process.argv.slice(2);
if (command === 'snapshots' && dir) writeSnapshots(resolve(dir));
else if (command === 'resume' && dir) process.exitCode = resume(resolve(dir));
else {
  console.error('usage: vector-cuts.cli.ts snapshots <outDir> | resume <dir>');
  process.exitCode = 2;
}
