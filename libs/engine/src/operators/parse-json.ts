/** Raw message bytes -> InputEvent, or a 'not-json' dead letter carrying the raw text. */
import type { Observer, OperatorFunction } from 'rxjs';
import type { InputEvent } from '../edge-rule';
import { deadLetter, ruleError, type ParsedInput } from './emissions';
import { fusedOperator } from './fused-observable';
import { ForwardingStage } from './forwarding-stage';
import { CoarseClock } from '../time/coarse-clock';
import { NOT_JSON_DETAIL } from './dead-letter-detail';
import { ExtractedEvent } from './extracted-event';
import { compileFieldPlan, extractFields, type FieldPlan } from '../json-path/field-extractor';
import { parseJsonPath } from '../json-path/json-path';

/** A message body, or a body tagged with the input connector it came from. */
export type RawInput = Buffer | string | { readonly body: Buffer | string; readonly input: number };

export interface ParseJsonOptions {
  /** Input connector for bodies that are not tagged (default 0). */
  input?: number;
  /** Processing-time clock for `arrivedAt` (default Date.now, read once per burst). */
  now?: () => number;
  /** The paths the rule reads (EdgeRuleProgram.fieldPaths): only these are extracted. */
  fieldPaths?: readonly string[];
}

/** The extraction plan for a rule's fieldPaths; null (parse whole events) without any. */
export function fieldPlanOf(fieldPaths: readonly string[] | undefined): FieldPlan | null {
  if (fieldPaths === undefined) return null;
  const segments = [];
  for (const path of fieldPaths) {
    try {
      segments.push(parseJsonPath(path));
    } catch {
      // Not a path: the rule's own compile reports it; nothing to extract for it.
    }
  }
  return compileFieldPlan(segments);
}

/**
 * Parses one body; used directly by the RuleRunner's hot path. With a plan, only the plan's
 * members are read out of the text and the whole value is parsed when first asked for.
 */
export function parseBody(
  body: Buffer | string,
  input: number,
  seq: number,
  arrivedAt: number,
  plan: FieldPlan | null = null,
): ParsedInput {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (plan !== null) {
    const fields = extractFields(text, plan);
    if (fields !== null) return new ExtractedEvent(fields, text, input, seq, arrivedAt, body);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return deadLetter('not-json', NOT_JSON_DETAIL, text);
  }
  const event: InputEvent = { value, input, seq, arrivedAt, raw: body };
  return event;
}

/** Numbers events 0, 1, 2, ... per subscription, in arrival order. */
export function parseJson(options: ParseJsonOptions = {}): OperatorFunction<RawInput, ParsedInput> {
  const defaultInput = options.input ?? 0;
  const now = options.now;
  // A caller's clock is called as a plain function, as before: `this` is not a wrapper.
  const clock = now ? { now: () => now() } : new CoarseClock();
  const plan = fieldPlanOf(options.fieldPaths);
  return fusedOperator<RawInput, ParsedInput>(
    (downstream) => new ParseStage(downstream, defaultInput, clock, plan),
  );
}

/** One subscription's parse stage (a class: see `Stage`). */
class ParseStage extends ForwardingStage<RawInput, ParsedInput> {
  private seq = 0;

  constructor(
    downstream: Observer<ParsedInput>,
    private readonly defaultInput: number,
    private readonly clock: { now(): number },
    private readonly plan: FieldPlan | null,
  ) {
    super(downstream);
  }

  next(raw: RawInput): void {
    let parsed: ParsedInput;
    try {
      const arrivedAt = this.clock.now();
      parsed =
        typeof raw === 'string' || Buffer.isBuffer(raw)
          ? parseBody(raw, this.defaultInput, this.seq++, arrivedAt, this.plan)
          : parseBody(raw.body, raw.input, this.seq++, arrivedAt, this.plan);
    } catch (error) {
      parsed = ruleError(error, rawText(raw));
    }
    this.downstream.next(parsed);
  }
}

function rawText(raw: RawInput): string {
  const body = typeof raw === 'string' || Buffer.isBuffer(raw) ? raw : raw.body;
  return typeof body === 'string' ? body : body.toString('utf8');
}
