/** Raw message bytes -> InputEvent, or a 'not-json' dead letter carrying the raw text. */
import type { OperatorFunction } from 'rxjs';
import type { InputEvent } from '../edge-rule';
import { deadLetter, ruleError, type ParsedInput } from './emissions';
import { fusedOperator } from './fused-observable';
import { coarseClock } from '../time/coarse-clock';
import { NOT_JSON_DETAIL } from './dead-letter-detail';

/** A message body, or a body tagged with the input connector it came from. */
export type RawInput = Buffer | string | { readonly body: Buffer | string; readonly input: number };

export interface ParseJsonOptions {
  /** Input connector for bodies that are not tagged (default 0). */
  input?: number;
  /** Processing-time clock for `arrivedAt` (default Date.now, read once per burst). */
  now?: () => number;
}

/** Parses one body; used directly by the RuleRunner's hot path. */
export function parseBody(
  body: Buffer | string,
  input: number,
  seq: number,
  arrivedAt: number,
): ParsedInput {
  const text = typeof body === 'string' ? body : body.toString('utf8');
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
  const now = options.now ?? coarseClock();
  return fusedOperator<RawInput, ParsedInput>((downstream) => {
    let seq = 0;
    return {
      next(raw) {
        let parsed: ParsedInput;
        try {
          const arrivedAt = now();
          parsed =
            typeof raw === 'string' || Buffer.isBuffer(raw)
              ? parseBody(raw, defaultInput, seq++, arrivedAt)
              : parseBody(raw.body, raw.input, seq++, arrivedAt);
        } catch (error) {
          parsed = ruleError(error, rawText(raw));
        }
        downstream.next(parsed);
      },
      error(error: unknown) {
        downstream.error(error);
      },
      complete() {
        downstream.complete();
      },
    };
  });
}

function rawText(raw: RawInput): string {
  const body = typeof raw === 'string' || Buffer.isBuffer(raw) ? raw : raw.body;
  return typeof body === 'string' ? body : body.toString('utf8');
}
