/**
 * Runs a shared test vector (templates/<jobType>/vectors/*.json, see docs) through a template's
 * edge module with no broker: inputs -> parseJson -> the rule's operator; the end of input
 * completes the stream, which flushes open windows.
 */
import type { Delivery, Headers } from '@ruleshift/broker';
import { DEAD_LETTER_HEADERS, type RuleConfig } from '@ruleshift/contracts';
import { from, lastValueFrom, toArray } from 'rxjs';
import type { EdgeRuleModule } from '../edge-rule';
import { applyToEvents } from '../operators/apply-to-events';
import { parseJson, type RawInput } from '../operators/parse-json';
import { DeadLetterBuilder } from '../runner/dead-letter';
import { engineToolkit } from '../toolkit';

export interface TestVector {
  name: string;
  description?: string;
  jobProps: Record<string, unknown>;
  inputs: { input: number; event?: unknown; raw?: string }[];
  expected: {
    outputs: unknown[];
    deadLetters: VectorDeadLetter[];
    /** When given: each output's routing key, null for the connector's (ordered vectors). */
    routingKeys?: (string | null)[];
  };
  ordered: boolean;
}

/** A dead letter as a vector states it: its `x-ruleshift-reason` and `x-ruleshift-detail`. */
export interface VectorDeadLetter {
  reason: string;
  detail: string;
}

/**
 * Where every vector input comes from, on both engines (templates/flink VectorsTest uses the
 * same): the dead letters' source headers.
 */
export const VECTOR_SOURCE = { exchange: 'vectors.in', routingKey: 'rk' } as const;
export const vectorJobId = (jobType: string): string => `vector-${jobType}`;
/** The clock both engines' dead-letter paths read in vectors: the epoch. */
const VECTOR_NOW_MS = 0;

/** Every header a dead letter of the vector's rule must carry, exactly. */
export function vectorDeadLetterHeaders(jobType: string, letter: VectorDeadLetter): Headers {
  return {
    [DEAD_LETTER_HEADERS.reason]: letter.reason,
    [DEAD_LETTER_HEADERS.detail]: letter.detail,
    [DEAD_LETTER_HEADERS.jobId]: vectorJobId(jobType),
    [DEAD_LETTER_HEADERS.deadLetteredAt]: new Date(VECTOR_NOW_MS).toISOString(),
    [DEAD_LETTER_HEADERS.sourceExchange]: VECTOR_SOURCE.exchange,
    [DEAD_LETTER_HEADERS.sourceRoutingKey]: VECTOR_SOURCE.routingKey,
  };
}

export interface VectorResult {
  outputs: unknown[];
  /** The routing key each output asked for, null for the connector's. */
  routingKeys: (string | null)[];
  deadLetters: VectorDeadLetter[];
  /** Each dead letter's headers, as the edge runner's publishing path builds them. */
  deadLetterHeaders: Headers[];
  /** What each dead letter carries: the parsed input event, or its raw text when not JSON. */
  deadLetterValues: unknown[];
}

export function vectorConfig(jobType: string, jobProps: Record<string, unknown>): RuleConfig {
  return {
    jobId: vectorJobId(jobType),
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
      parseJson({ now: () => tick++, fieldPaths: program.fieldPaths }),
      applyToEvents(program.operator),
      toArray(),
    ),
  );
  const result: VectorResult = {
    outputs: [],
    routingKeys: [],
    deadLetters: [],
    deadLetterHeaders: [],
    deadLetterValues: [],
  };
  const letters = new DeadLetterBuilder(vectorJobId(module.jobType), undefined);
  const source = { ...VECTOR_SOURCE } as Delivery;
  for (const emission of emissions) {
    if (emission.kind === 'output') {
      result.outputs.push(emission.value);
      result.routingKeys.push(emission.routingKey ?? null);
    } else {
      result.deadLetters.push({ reason: emission.reason, detail: emission.detail });
      result.deadLetterHeaders.push(letters.headers(emission, source, VECTOR_NOW_MS));
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
