/**
 * Thrown while evaluating a rule on an event the rule cannot evaluate; the operator turns it into
 * a dead letter with this reason and detail. The details name the rule and are the same text on
 * Flink (BusinessRulesLogic), so dead letters read the same on both engines.
 */
import type { DeadLetterReason } from '@ruleshift/contracts';
import { describeJsonType } from './json-values';

export class RuleRejection extends Error {
  constructor(
    readonly reason: DeadLetterReason,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'RuleRejection';
  }

  static missing(rule: string, path: string): RuleRejection {
    return new RuleRejection('missing-field', `rule ${rule}: no value at ${path}`);
  }

  static wrongType(rule: string, path: string, found: unknown, needs: string): RuleRejection {
    return new RuleRejection(
      'wrong-type',
      `rule ${rule}: ${path} is ${describeJsonType(found)}, ${needs}`,
    );
  }

  static notAnObjectAt(rule: string, path: string): RuleRejection {
    return new RuleRejection(
      'wrong-type',
      `rule ${rule}: cannot set ${path}, its parent is not an object`,
    );
  }

  static chainLimit(rule: string, limit: number): RuleRejection {
    return new RuleRejection(
      'chain-limit',
      `rule ${rule}: the event still changes after ${limit} re-evaluations (chainLimit)`,
    );
  }
}
