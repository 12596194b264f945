// @ts-check
'use strict';
/**
 * Edge artifact of the `filter` template (the paper's threshold filter). Plain CommonJS with
 * no dependencies: the engine hands over its toolkit as `engine`. The filter forwards the whole
 * event when `<value at fieldJsonPath (or $.<fieldName>)> <condition> <threshold>` holds; a
 * missing field, a wrong type or a throwing step is dead-lettered and the rule keeps running.
 */

/**
 * @typedef {{ condition: string, threshold: number | string, fieldName: string, fieldJsonPath?: string }} FilterProps
 * @typedef {{ thresholdFilter: (props: FilterProps) => unknown, thresholdFilterPath?: (props: FilterProps) => string, catchRuleErrors: (op: unknown) => unknown }} FilterToolkit
 */

module.exports = {
  jobType: 'filter',
  /**
   * @param {{ jobProps: Record<string, unknown> }} config
   * @param {FilterToolkit} engine
   */
  create(config, engine) {
    const props = /** @type {FilterProps} */ ({
      condition: config.jobProps.condition,
      threshold: config.jobProps.threshold,
      fieldName: config.jobProps.fieldName,
      fieldJsonPath: config.jobProps.fieldJsonPath,
    });
    if (props.fieldJsonPath === undefined) delete props.fieldJsonPath;
    return {
      operator: engine.catchRuleErrors(engine.thresholdFilter(props)),
      // The one member compared: parsing extracts it, and a forwarded event leaves as its bytes.
      // Agents download artifacts and may run an older engine without thresholdFilterPath;
      // without fieldPaths the event is parsed whole, as before.
      fieldPaths:
        typeof engine.thresholdFilterPath === 'function'
          ? [engine.thresholdFilterPath(props)]
          : undefined,
    };
  },
};
