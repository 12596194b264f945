/** Constructors and guards for RuleEmission, shared by every operator. */
import type { DeadLetterReason } from '@ruleshift/contracts';
import type { InputEvent, RuleEmission } from '../edge-rule';

export type OutputEmission = Extract<RuleEmission, { kind: 'output' }>;
export type DeadLetterEmission = Extract<RuleEmission, { kind: 'dead-letter' }>;
/** What parsing yields: an event for the rule, or a dead letter for the raw bytes. */
export type ParsedInput = InputEvent | DeadLetterEmission;

/** `raw`: the event's original bytes, when the output is the input event unchanged. */
export const output = (value: unknown, raw?: Buffer | string): OutputEmission =>
  raw === undefined ? { kind: 'output', value } : { kind: 'output', value, raw };

export const deadLetter = (
  reason: DeadLetterReason,
  detail: string,
  value: unknown,
): DeadLetterEmission => ({ kind: 'dead-letter', reason, detail, value });

/** A template step threw: the event is dead-lettered and the stream goes on. */
export const ruleError = (error: unknown, value: unknown): DeadLetterEmission =>
  deadLetter('rule-error', describeError(error), value);

export const isDeadLetter = (item: ParsedInput | RuleEmission): item is DeadLetterEmission =>
  (item as RuleEmission).kind === 'dead-letter';

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
