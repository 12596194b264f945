// @ts-check
'use strict';
/**
 * Edge artifact of the `window-aggregation` template: count/sum/avg/min/max over tumbling,
 * sliding or count windows, in event or processing time, optionally grouped by a key. Plain
 * CommonJS with no dependencies: everything it composes comes from the engine toolkit.
 *
 * Pipeline: stamp time -> watermarks -> key -> aggregate. Completing the input is the end of
 * input and flushes every open time window; unsubscribing (stop, move) keeps them for the
 * snapshot.
 */

/** @typedef {(value: unknown) => unknown} Accessor */
/** @typedef {(source: any) => any} Operator */

module.exports = {
  jobType: 'window-aggregation',
  /**
   * @param {{ jobProps: Record<string, unknown> }} config
   * @param {any} engine the engine toolkit (libs/engine/src/windows exports + compileJsonPath)
   */
  create(config, engine) {
    const props = engine.parseWindowAggregationProps(config.jobProps);
    /** @type {(path: string, field: string) => Accessor} */
    const compile = (path, field) => engine.compileJsonPath(path, `jobProps.${field}`);
    const clock = engine.clock || engine.systemClock;
    const win = props.window;
    const eventTime = win.time === 'event';

    const tracker = new engine.WatermarkTracker(eventTime ? props.maxOutOfOrdernessMs : 0);
    const field = props.fieldJsonPath
      ? { valueOf: compile(props.fieldJsonPath, 'fieldJsonPath'), path: props.fieldJsonPath }
      : undefined;
    const state =
      win.kind === 'count'
        ? new engine.CountWindowAggregation({
            windows: engine.countWindows(win.size, win.slide),
            aggregate: props.aggregate,
            field,
            maxKeys: props.maxKeys,
          })
        : new engine.TimeWindowAggregation({
            windows:
              win.kind === 'tumbling'
                ? engine.tumblingWindows(win.sizeMs)
                : engine.slidingWindows(win.sizeMs, win.slideMs),
            aggregate: props.aggregate,
            field,
            allowedLatenessMs: props.allowedLatenessMs,
            maxKeys: props.maxKeys,
          });

    /** @type {Operator} */
    const stamp = eventTime
      ? engine.assignEventTime({
          timeOf: compile(/** @type {string} */ (props.timeFieldJsonPath), 'timeFieldJsonPath'),
          path: props.timeFieldJsonPath,
        })
      : engine.assignProcessingTime(clock);
    /** @type {Operator} */
    const watermarks =
      eventTime || win.kind === 'count'
        ? engine.eventTimeWatermarks(tracker)
        : engine.processingTimeWatermarks({
            periodMs: win.kind === 'sliding' ? win.slideMs : win.sizeMs,
            clock,
            scheduler: engine.scheduler,
            tracker,
          });
    /** @type {Operator} */
    const keyed = engine.keyBy(
      props.groupByJsonPath
        ? { keyOf: compile(props.groupByJsonPath, 'groupByJsonPath'), path: props.groupByJsonPath }
        : null,
    );
    /** @type {Operator} */
    const aggregate = engine.windowAggregate(state);

    return {
      /** @param {any} source */
      operator: (source) => aggregate(keyed(watermarks(stamp(source)))),
      // What the operator reads: parsing extracts these members instead of the whole event.
      fieldPaths: [props.timeFieldJsonPath, props.groupByJsonPath, props.fieldJsonPath].filter(
        (path) => typeof path === 'string',
      ),
      snapshot: () => ({
        watermark: tracker.current(),
        state: {
          windows: win.kind === 'count' ? [] : state.snapshot(),
          countWindows: win.kind === 'count' ? state.snapshot() : [],
        },
      }),
      /** @param {{ watermark: number | null, state: any }} snapshot */
      restore(snapshot) {
        const saved = snapshot.state || {};
        tracker.restore(snapshot.watermark);
        if (win.kind === 'count') state.restore(saved.countWindows);
        else state.restore(saved.windows, snapshot.watermark);
      },
      metrics() {
        const stats = state.stats();
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
