import {
  PIPELINE_NAME_PATTERN,
  type FieldError,
  type PipelineObject,
  type PipelineStage,
} from '@ruleshift/contracts';

/** A bound on what one request may install; larger graphs are several pipelines. */
export const MAX_STAGES = 64;

const NAME_RULE = 'must be 1-63 letters, digits, - or _, starting with a letter or digit';

/** How many inputs a template reads; undefined for an unknown jobType (reported elsewhere). */
export type InputsOf = (jobType: string) => number | undefined;

const INPUT_FIELDS = ['inputEndpoint', 'inputExchange', 'inputQueue', 'inputRoutingKey'] as const;
const OUTPUT_FIELDS = ['outputEndpoint', 'outputExchange', 'outputRoutingKey'] as const;
/** What a stage may still give for an input the adapter wires: the name of its queue. */
const WIRED_INPUT_FIELDS = ['inputEndpoint', 'inputExchange', 'inputRoutingKey'] as const;

const isString = (value: unknown): value is string => typeof value === 'string';
const given = (value: unknown): boolean => value !== undefined;

/**
 * Every error of the graph at once, each naming its `stages[i].field`: the names, the `from`
 * references (known, not itself, no cycle), the inputs each template reads, and the connectors
 * neither the stage nor the wiring provides. Empty when the graph is sound.
 */
export function pipelineGraphErrors(pipeline: PipelineObject, inputsOf: InputsOf): FieldError[] {
  const errors: FieldError[] = [];
  if (!isString(pipeline.name) || !PIPELINE_NAME_PATTERN.test(pipeline.name)) {
    errors.push({ field: 'name', reason: NAME_RULE });
  }
  const stages = pipeline.stages;
  if (!Array.isArray(stages) || stages.length === 0) {
    return [...errors, { field: 'stages', reason: 'must be a non-empty list of stages' }];
  }
  if (stages.length > MAX_STAGES) {
    return [...errors, { field: 'stages', reason: `must have at most ${MAX_STAGES} stages` }];
  }
  const indexByName = new Map<string, number>();
  stages.forEach((stage, i) => {
    if (!isString(stage.name) || !PIPELINE_NAME_PATTERN.test(stage.name)) {
      errors.push({ field: `stages[${i}].name`, reason: NAME_RULE });
      return;
    }
    const first = indexByName.get(stage.name);
    if (first !== undefined) {
      errors.push({
        field: `stages[${i}].name`,
        reason: `duplicate stage name ${stage.name} (also stages[${first}].name)`,
      });
      return;
    }
    indexByName.set(stage.name, i);
  });
  stages.forEach((stage, i) => errors.push(...fromErrors(stage, i, indexByName)));
  if (errors.length > 0) return errors;

  const cycle = findCycle(stages, indexByName);
  if (cycle) {
    const i = indexByName.get(cycle[0]) ?? 0;
    return [{ field: `stages[${i}].from`, reason: `forms a cycle: ${cycle.join(' -> ')}` }];
  }
  const read = readersByStage(stages);
  stages.forEach((stage, i) => errors.push(...connectorErrors(stage, i, inputsOf, read)));
  return errors;
}

function fromErrors(
  stage: PipelineStage,
  i: number,
  indexByName: Map<string, number>,
): FieldError[] {
  if (stage.from === undefined) return [];
  const field = `stages[${i}].from`;
  if (!Array.isArray(stage.from) || stage.from.length === 0) {
    return [{ field, reason: 'must be a non-empty list of stage names (or left out)' }];
  }
  const errors: FieldError[] = [];
  stage.from.forEach((name, k) => {
    if (!isString(name) || !indexByName.has(name)) {
      errors.push({ field: `${field}[${k}]`, reason: `no stage named ${String(name)}` });
    } else if (name === stage.name) {
      errors.push({ field: `${field}[${k}]`, reason: 'a stage cannot read its own output' });
    }
  });
  return errors;
}

export interface StageNode {
  name: string;
  from?: string[];
}

/** The stages in the order they read each other: every stage after the stages it reads. */
export function upstreamFirst<T extends StageNode>(stages: readonly T[]): T[] {
  const byName = new Map(stages.map((s) => [s.name, s]));
  const ordered: T[] = [];
  const seen = new Set<string>();
  const visit = (stage: T): void => {
    if (seen.has(stage.name)) return;
    seen.add(stage.name);
    for (const name of stage.from ?? []) {
      const upstream = byName.get(name);
      if (upstream) visit(upstream);
    }
    ordered.push(stage);
  };
  stages.forEach(visit);
  return ordered;
}

function findCycle(
  stages: readonly PipelineStage[],
  indexByName: Map<string, number>,
): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'done') return null;
    if (state.get(name) === 'open') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'open');
    path.push(name);
    for (const upstream of stages[indexByName.get(name)!].from ?? []) {
      const cycle = visit(upstream);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(name, 'done');
    return null;
  };
  for (const stage of stages) {
    const cycle = visit(stage.name);
    if (cycle) return cycle.reverse();
  }
  return null;
}

/** Stage name -> names of the stages that read it. */
export function readersByStage(stages: readonly PipelineStage[]): Map<string, string[]> {
  const readers = new Map<string, string[]>(stages.map((s) => [s.name, []]));
  for (const stage of stages) {
    for (const upstream of new Set(stage.from ?? [])) readers.get(upstream)?.push(stage.name);
  }
  return readers;
}

function connectorErrors(
  stage: PipelineStage,
  i: number,
  inputsOf: InputsOf,
  readers: Map<string, string[]>,
): FieldError[] {
  const prefix = `stages[${i}].jobConfig.connectors`;
  const connectors = stage.jobConfig?.connectors ?? {};
  const from = stage.from ?? [];
  const inputs = inputsOf(stage.headers?.jobType);
  const errors: FieldError[] = [];
  if (inputs !== undefined && from.length > inputs) {
    errors.push({
      field: `stages[${i}].from`,
      reason: `${stage.headers.jobType} reads ${inputs} input(s); from names ${from.length}`,
    });
  }
  if (from.length >= 1) {
    for (const field of WIRED_INPUT_FIELDS) {
      if (given(connectors[field])) {
        errors.push({
          field: `${prefix}.${field}`,
          reason: `input 0 is wired from stage ${from[0]}; leave it out (inputQueue may be given)`,
        });
      }
    }
  } else {
    for (const field of INPUT_FIELDS) {
      if (!given(connectors[field])) {
        errors.push({
          field: `${prefix}.${field}`,
          reason: 'is required when the stage has no from',
        });
      }
    }
  }
  if (from.length >= 2 && given(connectors.secondInput)) {
    errors.push({
      field: `${prefix}.secondInput`,
      reason: `input 1 is wired from stage ${from[1]}; leave it out`,
    });
  }
  if (inputs === 2 && from.length < 2 && !given(connectors.secondInput)) {
    errors.push({
      field: from.length === 1 ? `stages[${i}].from` : `${prefix}.secondInput`,
      reason: `${stage.headers.jobType} reads 2 inputs (left, right): name both in from, or give secondInput`,
    });
  }
  if ((readers.get(stage.name) ?? []).length === 0) {
    for (const field of OUTPUT_FIELDS) {
      if (!given(connectors[field])) {
        errors.push({
          field: `${prefix}.${field}`,
          reason: 'is required: no stage reads this stage',
        });
      }
    }
  }
  return errors;
}
