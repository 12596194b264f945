// @ts-check
'use strict';
/**
 * Edge artifact of the `window-join` template: joins input 0 (left) and input 1 (right) on
 * key equality within tumbling event-time windows. Plain CommonJS with no dependencies:
 * everything it composes comes from the engine toolkit.
 *
 * One watermark runs over both inputs in arrival order (max event time seen on either input
 * minus maxOutOfOrdernessMs).
 */

/** @typedef {(source: any) => any} Operator */

module.exports = {
  jobType: 'window-join',
  /**
   * @param {{ jobProps: Record<string, unknown> }} config
   * @param {any} engine the engine toolkit (libs/engine/src/windows exports + compileJsonPath)
   */
  create(config, engine) {
    const props = engine.parseWindowJoinProps(config.jobProps);
    /** @type {(path: string, field: string) => (value: unknown) => unknown} */
    const compile = (path, field) => engine.compileJsonPath(path, `jobProps.${field}`);

    const tracker = new engine.WatermarkTracker(props.maxOutOfOrdernessMs);
    const buffer = new engine.WindowJoinBuffer({
      windowSizeMs: props.windowSizeMs,
      maxKeys: props.maxKeys,
    });
    /** @type {Operator} */
    const stamp = engine.assignEventTime({
      timeOf: compile(props.timeFieldJsonPath, 'timeFieldJsonPath'),
      path: props.timeFieldJsonPath,
    });
    /** @type {Operator} */
    const watermarks = engine.eventTimeWatermarks(tracker);
    /** @type {Operator} */
    const keyed = engine.keyBy([
      { keyOf: compile(props.leftKeyJsonPath, 'leftKeyJsonPath'), path: props.leftKeyJsonPath },
      { keyOf: compile(props.rightKeyJsonPath, 'rightKeyJsonPath'), path: props.rightKeyJsonPath },
    ]);
    /** @type {Operator} */
    const join = engine.windowJoin(buffer);

    return {
      /** @param {any} source */
      operator: (source) => join(keyed(watermarks(stamp(source)))),
      // What the operator reads: parsing extracts these members instead of the whole event;
      // a pair's output is written around the events' texts, so nothing else is parsed.
      fieldPaths: [props.timeFieldJsonPath, props.leftKeyJsonPath, props.rightKeyJsonPath],
      snapshot: () => ({ watermark: tracker.current(), state: { windows: buffer.snapshot() } }),
      /** @param {{ watermark: number | null, state: any }} snapshot */
      restore(snapshot) {
        tracker.restore(snapshot.watermark);
        buffer.restore((snapshot.state || {}).windows, snapshot.watermark);
      },
      metrics() {
        const stats = buffer.stats();
        return {
          watermark: tracker.current(),
          stateKeys: stats.keys,
          stateBytes: stats.bytes,
          openWindows: stats.openWindows,
          late: stats.late,
        };
      },
    };
  },
};
