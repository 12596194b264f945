/** @ruleshift/engine: the edge stream engine hosted by the agent (the paper used Siddhi). */
export * from './edge-rule';
export {
  compileJsonPath,
  validateJsonPath,
  parseJsonPath,
  fieldNamePath,
  InvalidJsonPath,
} from './json-path/json-path';
export type { JsonPathAccessor, JsonPathSegment } from './json-path/json-path';
export { parseJson, parseBody } from './operators/parse-json';
export type { ParseJsonOptions, RawInput } from './operators/parse-json';
export {
  thresholdFilter,
  thresholdFilterPath,
  validateThresholdFilterOptions,
} from './operators/threshold-filter';
export type { ThresholdFilterOptions } from './operators/threshold-filter';
export {
  businessRules,
  parseBusinessRulesProps,
  businessRulesProblems,
  patternProblem,
  COMPARISON_OPS,
} from './business-rules';
export type {
  BusinessRule,
  BusinessRulesProps,
  BusinessRuleCondition,
  BusinessRuleAction,
} from './business-rules';
export { isolate } from './operators/isolate';
export type { RuleStep } from './operators/isolate';
export { catchRuleErrors } from './operators/catch-rule-errors';
export { applyToEvents } from './operators/apply-to-events';
export { output, deadLetter, ruleError, isDeadLetter } from './operators/emissions';
export type { OutputEmission, DeadLetterEmission, ParsedInput } from './operators/emissions';
export { engineToolkit } from './toolkit';
export type { EngineToolkitImpl } from './toolkit';
export { loadEdgeRuleModule, asEdgeRuleModule } from './load-edge-rule-module';
export { createRuleRunner } from './runner/rule-runner';
export {
  DEFAULT_CHECKPOINT_INTERVAL_MS,
  DEFAULT_PREFETCH,
  systemRunnerClock,
} from './runner/runner-deps';
export type { CheckpointStore, RuleRunnerDeps, RunnerClock } from './runner/runner-deps';
export { runVector, canonicalJson, asMultiset, vectorConfig } from './testing/vector-harness';
export type { TestVector, VectorResult } from './testing/vector-harness';
// Windowed operators (event time, watermarks, window aggregation, window join).
export {
  assignEventTime,
  assignProcessingTime,
  WatermarkTracker,
  eventTimeWatermarks,
  processingTimeWatermarks,
  keyBy,
  tumblingWindows,
  slidingWindows,
  countWindows,
  windowAggregate,
  windowJoin,
  TimeWindowAggregation,
  CountWindowAggregation,
  WindowJoinBuffer,
  parseWindowAggregationProps,
  parseWindowJoinProps,
  parseTimestamp,
  systemClock,
  END_OF_INPUT,
} from './windows';
export type { Clock as WindowClock } from './windows';
