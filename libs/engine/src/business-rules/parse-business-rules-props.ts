/**
 * Checks the resolved jobProps the engine receives (the adapter validated them at install and
 * filled in every default, see the manifest): nothing is defaulted here, so the edge engine and
 * Flink run exactly the configuration the registry holds.
 */
import { ValidationFailed, type FieldError } from '@ruleshift/contracts';
import { businessRulesProblems, type BusinessRulesProps } from './business-rules-props';

export function parseBusinessRulesProps(options: unknown): BusinessRulesProps {
  const errors: FieldError[] = [];
  const props = (typeof options === 'object' && options !== null ? options : {}) as Record<
    string,
    unknown
  >;
  const { rules, chain, chainLimit, onNoMatch } = props;
  if (!Array.isArray(rules) || rules.length === 0) {
    errors.push({ field: 'jobProps.rules', reason: 'must be a non-empty array' });
  } else {
    rules.forEach((rule: unknown, i) => {
      const field = `jobProps.rules[${i}]`;
      if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
        errors.push({ field, reason: 'must be an object' });
        return;
      }
      const r = rule as Record<string, unknown>;
      if (typeof r.name !== 'string' || r.name.length === 0) {
        errors.push({ field: `${field}.name`, reason: 'must be a non-empty string' });
      }
      if (!Number.isInteger(r.priority)) {
        errors.push({ field: `${field}.priority`, reason: 'must be an integer' });
      }
      if (typeof r.when !== 'object' || r.when === null || Array.isArray(r.when)) {
        errors.push({ field: `${field}.when`, reason: 'must be a condition object' });
      }
      if (!Array.isArray(r.then)) {
        errors.push({ field: `${field}.then`, reason: 'must be an array of actions' });
      }
    });
  }
  if (typeof chain !== 'boolean') {
    errors.push({ field: 'jobProps.chain', reason: 'must be a boolean' });
  }
  if (!Number.isInteger(chainLimit) || (chainLimit as number) < 1) {
    errors.push({ field: 'jobProps.chainLimit', reason: 'must be a positive integer' });
  }
  if (onNoMatch !== 'forward' && onNoMatch !== 'drop') {
    errors.push({ field: 'jobProps.onNoMatch', reason: 'must be one of forward, drop' });
  }
  errors.push(...businessRulesProblems(props));
  if (errors.length > 0) throw new ValidationFailed(errors);
  return props as unknown as BusinessRulesProps;
}
