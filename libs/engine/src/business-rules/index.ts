/** The `business-rules` template's edge engine: declarative rules compiled into closures. */
export { businessRules } from './business-rules-operator';
export { parseBusinessRulesProps } from './parse-business-rules-props';
export { businessRulesProblems, patternProblem, COMPARISON_OPS } from './business-rules-props';
export type {
  BusinessRule,
  BusinessRulesProps,
  Condition as BusinessRuleCondition,
  Action as BusinessRuleAction,
} from './business-rules-props';
