/**
 * Test support: the toolkit the window templates' rule.js expect (the windows exports plus
 * the JSONPath compiler), and a vector runner that does not depend on the engine's wiring.
 */
import { resolve } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import type { EdgeRuleModule, EdgeRuleProgram, RuleEmission } from '../../edge-rule';
import { applyToEvents } from '../../operators/apply-to-events';
import { parseJson, type RawInput } from '../../operators/parse-json';
import { compileJsonPath } from '../../json-path/json-path';
import * as windows from '../index';

export const windowToolkit = { ...windows, compileJsonPath };

export const TEMPLATES_DIR = resolve(__dirname, '../../../../../templates');

export interface WindowVector {
  name: string;
  jobProps: Record<string, unknown>;
  inputs: { input: number; event?: unknown; raw?: string }[];
  expected: { outputs: unknown[]; deadLetters: { reason: string }[] };
  ordered: boolean;
}

export function loadRuleModule(jobType: string): EdgeRuleModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- artifacts are CommonJS
  return require(resolve(TEMPLATES_DIR, jobType, 'edge', 'rule.js')) as EdgeRuleModule;
}

export function createProgram(
  jobType: string,
  jobProps: Record<string, unknown>,
  toolkit: Record<string, unknown> = windowToolkit,
): EdgeRuleProgram {
  const config = {
    jobId: `test-${jobType}`,
    jobType,
    templateVersion: '1.0.0',
    jobProps,
    deadLetterExchange: 'ruleshift.dlx',
    connectors: {
      inputEndpoint: 'edge',
      inputExchange: 'in',
      inputQueue: 'in',
      inputRoutingKey: 'in',
      outputEndpoint: 'edge',
      outputExchange: 'out',
      outputRoutingKey: 'out',
    },
  };
  return loadRuleModule(jobType).create(config, toolkit);
}

/** Runs raw inputs through JSON parsing and the program, as the runner does; ends the input. */
export async function runInputs(
  program: EdgeRuleProgram,
  inputs: WindowVector['inputs'],
): Promise<RuleEmission[]> {
  const raws: RawInput[] = inputs.map((item) => ({
    input: item.input,
    body: item.raw ?? JSON.stringify(item.event),
  }));
  let tick = 0;
  return lastValueFrom(
    from(raws).pipe(
      parseJson({ now: () => tick++, fieldPaths: program.fieldPaths }),
      applyToEvents(program.operator),
      toArray(),
    ),
  );
}

export function split(emissions: RuleEmission[]): {
  outputs: unknown[];
  deadLetters: { reason: string }[];
} {
  const outputs: unknown[] = [];
  const deadLetters: { reason: string }[] = [];
  for (const emission of emissions) {
    if (emission.kind === 'output') outputs.push(emission.value);
    else deadLetters.push({ reason: emission.reason });
  }
  return { outputs, deadLetters };
}
