/**
 * Named checks a template's jobPropsSchema can ask for with `"x-ruleshift-check": "<name>"` at
 * its root, for rules JSON Schema cannot state precisely. Each returns field errors named as in
 * the request body (`jobProps.rules[2].when.op`); the engines run the same check at start.
 */
import type { FieldError } from '@ruleshift/contracts';
import { businessRulesProblems } from '@ruleshift/engine';

export const JOB_PROPS_CHECK_KEYWORD = 'x-ruleshift-check';

export const JOB_PROPS_CHECKS: Readonly<Record<string, (jobProps: unknown) => FieldError[]>> = {
  'business-rules': (jobProps) => businessRulesProblems(jobProps),
};
