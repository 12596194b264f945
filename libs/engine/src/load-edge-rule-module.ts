/** Loads a template's edge artifact (CommonJS) and checks it really is an EdgeRuleModule. */
import { ValidationFailed } from '@ruleshift/contracts';
import type { EdgeRuleModule } from './edge-rule';

export function loadEdgeRuleModule(filePath: string): EdgeRuleModule {
  let loaded: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- artifacts are CommonJS files chosen at run time
    loaded = require(filePath);
  } catch (error) {
    throw invalid(filePath, `cannot be loaded: ${(error as Error).message}`);
  }
  return asEdgeRuleModule(loaded, filePath);
}

export function asEdgeRuleModule(loaded: unknown, filePath: string): EdgeRuleModule {
  if (typeof loaded !== 'object' || loaded === null) {
    throw invalid(filePath, 'must export an object { jobType, create }');
  }
  const candidate = loaded as Partial<Record<keyof EdgeRuleModule, unknown>>;
  if (typeof candidate.jobType !== 'string' || candidate.jobType.length === 0) {
    throw invalid(filePath, 'must export jobType as a non-empty string');
  }
  if (typeof candidate.create !== 'function') {
    throw invalid(filePath, 'must export create(config, engine) as a function');
  }
  return candidate as EdgeRuleModule;
}

const invalid = (filePath: string, reason: string): ValidationFailed =>
  new ValidationFailed([{ field: 'artifact', reason: `edge rule module ${filePath} ${reason}` }]);
