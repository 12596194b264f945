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
 */
final class CountWindows extends KeyedProcessFunction<String, AggregationInput, byte[]> {
  private static final long serialVersionUID = 1L;
  static final ValueStateDescriptor<Long> EVENTS_SEEN =
      new ValueStateDescriptor<>("events-seen", Types.LONG);
  static final ListStateDescriptor<CountElement> RETAINED =
      new ListStateDescriptor<>("retained", TypeInformation.of(CountElement.class));

  private final WindowAggregationProps props;
  private transient ValueState<Long> eventsSeen;
  private transient ListState<CountElement> retained;

  CountWindows(WindowAggregationProps props) {
    this.props = props;
  }

  @Override
  public void open(OpenContext openContext) {
    eventsSeen = getRuntimeContext().getState(EVENTS_SEEN);
    retained = getRuntimeContext().getListState(RETAINED);
  }

  @Override
  public void processElement(AggregationInput event, Context ctx, Collector<byte[]> out)
      throws Exception {
    long seen = (eventsSeen.value() == null ? 0 : eventsSeen.value()) + 1;
    List<CountElement> elements = new ArrayList<>();
    for (CountElement element : retained.get()) elements.add(element);
    elements.add(new CountElement(event.timestamp, event.value));
    long size = props.size();
    long slide = props.slide();
    if (seen >= size && (seen - size) % slide == 0) {
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
}
