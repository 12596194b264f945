/**
 * What a template's edge artifact receives as `engine` (2nd argument of `create`). Artifacts
 * are plain CommonJS without dependencies, so everything they compose comes from here.
 */
import { pipe } from 'rxjs';
import { businessRules } from './business-rules';
import type { EngineToolkit } from './edge-rule';
import { compileJsonPath, validateJsonPath } from './json-path/json-path';
import { applyToEvents } from './operators/apply-to-events';
import { catchRuleErrors } from './operators/catch-rule-errors';
import { deadLetter, output } from './operators/emissions';
import { isolate } from './operators/isolate';
import { parseJson } from './operators/parse-json';
import { thresholdFilter, thresholdFilterPath } from './operators/threshold-filter';
import * as windows from './windows';

// Window operators first: where names overlap (deadLetter) the core version is the one handed out;
// both build the same RuleEmission shape.
export const engineToolkit = Object.freeze({
  ...windows,
  compileJsonPath,
  validateJsonPath,
  parseJson,
  applyToEvents,
  thresholdFilter,
  thresholdFilterPath,
  businessRules,
  isolate,
  catchRuleErrors,
  output,
  deadLetter,
  pipe,
}) satisfies EngineToolkit;

export type EngineToolkitImpl = typeof engineToolkit;
