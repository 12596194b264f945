/**
 * Runs a shared test vector (templates/<jobType>/vectors/*.json, see docs) through a template's
 * edge module with no broker: inputs -> parseJson -> the rule's operator; the end of input
 * completes the stream, which flushes open windows.
 */
import type { RuleConfig } from '@ruleshift/contracts';
import { from, lastValueFrom, toArray } from 'rxjs';
import type { EdgeRuleModule } from '../edge-rule';
import { applyToEvents } from '../operators/apply-to-events';
import { parseJson, type RawInput } from '../operators/parse-json';
import { engineToolkit } from '../toolkit';

export interface TestVector {
  name: string;
  description?: string;
  jobProps: Record<string, unknown>;
  inputs: { input: number; event?: unknown; raw?: string }[];
  expected: {
    outputs: unknown[];
    /** Each dead letter's reason and, when given, its exact detail (ordered vectors). */
    deadLetters: { reason: string; detail?: string }[];
    /** When given: each output's routing key, null for the connector's (ordered vectors). */
    routingKeys?: (string | null)[];
  };
  ordered: boolean;
}

export interface VectorResult {
  outputs: unknown[];
  /** The routing key each output asked for, null for the connector's. */
  routingKeys: (string | null)[];
  deadLetters: { reason: string; detail: string }[];
  /** What each dead letter carries: the parsed input event, or its raw text when not JSON. */
  deadLetterValues: unknown[];
}

export function vectorConfig(jobType: string, jobProps: Record<string, unknown>): RuleConfig {
  return {
    jobId: `vector-${jobType}`,
    jobType,
    templateVersion: '0.0.0',
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
}

export async function runVector(module: EdgeRuleModule, vector: TestVector): Promise<VectorResult> {
  const program = module.create(vectorConfig(module.jobType, vector.jobProps), engineToolkit);
  const raws: RawInput[] = vector.inputs.map((item) => ({
    input: item.input,
    body: item.raw ?? JSON.stringify(item.event),
  }));
  let tick = 0;
  const emissions = await lastValueFrom(
    from(raws).pipe(
      // A fixed processing-time clock keeps vectors deterministic.
      parseJson({ now: () => tick++ }),
      applyToEvents(program.operator),
      toArray(),
    ),
  );
  const result: VectorResult = {
    outputs: [],
    routingKeys: [],
    deadLetters: [],
    deadLetterValues: [],
  };
  for (const emission of emissions) {
    if (emission.kind === 'output') {
      result.outputs.push(emission.value);
      result.routingKeys.push(emission.routingKey ?? null);
    } else {
      result.deadLetters.push({ reason: emission.reason, detail: emission.detail });
      result.deadLetterValues.push(emission.value);
    }
  }
  return result;
}

/** Key-order independent JSON, so multisets of outputs can be sorted and compared. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map(
        (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
      );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

export const asMultiset = (items: unknown[]): string[] => items.map(canonicalJson).sort();
