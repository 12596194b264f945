package io.ruleshift.flink;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Count windows with the edge engine's meaning: per key, a window opens at every {@code slide}-th
 * event (0, slide, 2*slide, ...) and fires once it holds {@code size} events. Flink's built-in
 * countWindow(size, slide) instead fires every slide events over the last size events, partial
 * ones included, which would not match. Incomplete windows never fire, not even at the end of
 * input. windowStart/windowEnd are the smallest and largest event time in the window.
 *
 * <p>The state is the edge's (libs/engine count-window-aggregation.ts) and the neutral
 * snapshot's: per key, how many events were counted and the events a future window still needs,
 * in arrival order; a key with none left and at a window boundary is forgotten.
 *
 * <p>State of the earlier layout (same uid and template version: "events-seen" plus the running
 * {@link Accumulator} of each open window in "open-windows", no retained events) still restores:
 * those windows keep accumulating from their saved accumulators and fire as before, and a window
 * fires from the retained events only when they hold all of it (a window opened after the
 * restore). The earlier layout's windows are exact; nothing throws.
 */
final class CountWindows extends KeyedProcessFunction<String, AggregationInput, byte[]> {
  private static final long serialVersionUID = 1L;
  static final ValueStateDescriptor<Long> EVENTS_SEEN =
      new ValueStateDescriptor<>("events-seen", Types.LONG);
  static final ListStateDescriptor<CountElement> RETAINED =
      new ListStateDescriptor<>("retained", TypeInformation.of(CountElement.class));
  /** The earlier layout's open windows (restored from its checkpoints; never written anew). */
  static final ListStateDescriptor<Accumulator> LEGACY_OPEN_WINDOWS =
      new ListStateDescriptor<>("open-windows", Accumulator.class);

  private final WindowAggregationProps props;
  private transient ValueState<Long> eventsSeen;
  private transient ListState<CountElement> retained;
  private transient ListState<Accumulator> legacyOpenWindows;

  CountWindows(WindowAggregationProps props) {
    this.props = props;
  }

  @Override
  public void open(OpenContext openContext) {
    eventsSeen = getRuntimeContext().getState(EVENTS_SEEN);
    retained = getRuntimeContext().getListState(RETAINED);
    legacyOpenWindows = getRuntimeContext().getListState(LEGACY_OPEN_WINDOWS);
  }

  @Override
  public void processElement(AggregationInput event, Context ctx, Collector<byte[]> out)
      throws Exception {
    fireLegacyWindows(event, ctx.getCurrentKey(), out);
    long seen = (eventsSeen.value() == null ? 0 : eventsSeen.value()) + 1;
    List<CountElement> elements = new ArrayList<>();
    for (CountElement element : retained.get()) elements.add(element);
    elements.add(new CountElement(event.timestamp, event.value));
    long size = props.size();
    long slide = props.slide();
    // Fewer retained events than the window: it opened before a restore of the earlier layout,
    // and fireLegacyWindows emitted it.
    if (seen >= size && (seen - size) % slide == 0 && elements.size() >= size) {
      Accumulator window = new Accumulator();
      for (CountElement element : elements.subList(elements.size() - (int) size, elements.size())) {
        window.add(element.value, element.time);
      }
      out.collect(
          WindowAggregationJob.result(
              window.firstTimestamp, window.lastTimestamp, ctx.getCurrentKey(), props.aggregate(), window));
    }
    long nextWindow = seen >= size ? (seen - size) / slide + 1 : 0;
    int keep = (int) Math.max(0, Math.min(elements.size(), seen - nextWindow * slide));
    if (keep == 0 && seen % slide == 0) {
      eventsSeen.clear();
      retained.clear();
      return;
    }
    eventsSeen.update(seen);
    retained.update(new ArrayList<>(elements.subList(elements.size() - keep, elements.size())));
  }

  /** The earlier layout's open windows of this key: add the event, emit those now full. */
  private void fireLegacyWindows(AggregationInput event, String key, Collector<byte[]> out)
      throws Exception {
    Iterable<Accumulator> saved = legacyOpenWindows.get();
    if (saved == null || !saved.iterator().hasNext()) return;
    List<Accumulator> stillOpen = new ArrayList<>();
    for (Accumulator window : saved) {
      window.add(event.value, event.timestamp);
      if (window.count >= props.size()) {
        out.collect(
            WindowAggregationJob.result(
                window.firstTimestamp, window.lastTimestamp, key, props.aggregate(), window));
      } else {
        stillOpen.add(window);
      }
    }
    if (stillOpen.isEmpty()) legacyOpenWindows.clear();
    else legacyOpenWindows.update(stillOpen);
  }
}
