// @ts-check
'use strict';
/**
 * Edge artifact of the `business-rules` template. Plain CommonJS with no dependencies: the
 * engine hands over its toolkit as `engine`, whose `businessRules` compiles the declarative
 * rules of jobProps (conditions and actions as JSON, never code) into closures once. An event
 * a rule cannot evaluate is dead-lettered with the rule's name and the rule keeps running.
 */

/**
 * @typedef {{ businessRules: (props: unknown) => unknown, catchRuleErrors: (op: unknown) => unknown }} BusinessRulesToolkit
 */

module.exports = {
  jobType: 'business-rules',
  /**
   * @param {{ jobProps: Record<string, unknown> }} config
   * @param {BusinessRulesToolkit} engine
   */
  create(config, engine) {
    return { operator: engine.catchRuleErrors(engine.businessRules(config.jobProps)) };
  },
};
