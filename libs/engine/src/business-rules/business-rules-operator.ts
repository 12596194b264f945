/**
 * The `business-rules` template on the edge engine. Each JSON rule is compiled once, at start,
 * into plain closures (no eval, no Function) and evaluated by a loop with node-rules' flow
 * (the design card's engine; docs/decisions.md says why it is not used as a library): rules in
 * descending priority then list order; a matching rule's actions apply in order until one
 * stops; with `chain`, a rule whose actions changed the event restarts the evaluation from the
 * first rule, at most `chainLimit` times. Flink's BusinessRulesLogic is the same loop.
 */
import type { OperatorFunction } from 'rxjs';
import type { InputEvent, RuleEmission } from '../edge-rule';
import { deadLetter, ruleError } from '../operators/emissions';
import { perEvent } from '../operators/per-event';
import { compileActions, type CompiledActions, type Evaluation } from './compile-actions';
import { compileCondition, type CompiledCondition } from './compile-condition';
import { cloneJson, jsonEqual } from './json-values';
import { parseBusinessRulesProps } from './parse-business-rules-props';
import { RuleRejection } from './rule-rejection';

interface CompiledRule {
  name: string;
  test: CompiledCondition;
  act: CompiledActions;
}

export function businessRules(options: unknown): OperatorFunction<InputEvent, RuleEmission> {
  const { rules, chain, chainLimit, onNoMatch } = parseBusinessRulesProps(options);
  const ordered: CompiledRule[] = rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => b.rule.priority - a.rule.priority || a.index - b.index)
    .map(({ rule }) => ({
      name: rule.name,
      test: compileCondition(rule.when, rule.name),
      act: compileActions(rule.then, rule.name),
    }));

  const evaluate = (event: InputEvent): RuleEmission | undefined => {
    const run: Evaluation = {
      event: event.value,
      owned: false,
      routingKey: undefined,
      dropped: false,
      stopped: false,
      modified: false,
    };
    let matched = false;
    let passes = 0;
    try {
      for (let i = 0; i < ordered.length;) {
        const rule = ordered[i];
        if (!rule.test(run.event)) {
          i++;
          continue;
        }
        matched = true;
        // Before the first write run.event is the input itself, which writes never touch.
        const before = chain && run.owned ? cloneJson(run.event) : run.event;
        rule.act(run);
        if (run.stopped) break;
        if (chain && !jsonEqual(before, run.event)) {
          if (++passes > chainLimit) throw RuleRejection.chainLimit(rule.name, chainLimit);
          i = 0;
        } else {
          i++;
        }
      }
    } catch (error) {
      if (error instanceof RuleRejection)
        return deadLetter(error.reason, error.detail, event.value);
      throw error;
    }
    if (run.dropped || (!matched && onNoMatch === 'drop')) return undefined;
    const emission: RuleEmission = run.modified
      ? { kind: 'output', value: run.event }
      : event.raw === undefined
        ? { kind: 'output', value: event.value }
        : { kind: 'output', value: event.value, raw: event.raw };
    if (run.routingKey !== undefined) emission.routingKey = run.routingKey;
    return emission;
  };

  return perEvent<InputEvent, RuleEmission>(evaluate, (event, error) =>
    ruleError(error, event.value),
  );
}
