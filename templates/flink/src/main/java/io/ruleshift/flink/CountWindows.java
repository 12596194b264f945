package io.ruleshift.flink;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Count windows with the edge engine's meaning: per key, a window opens at every {@code slide}-th
 * event (0, slide, 2*slide, ...) and fires once it holds {@code size} events. Flink's built-in
 * countWindow(size, slide) instead fires every slide events over the last size events, partial
 * ones included, which would not match. Incomplete windows never fire, not even at the end of
 * input. windowStart/windowEnd are the smallest and largest event time in the window.
 */
final class CountWindows extends KeyedProcessFunction<String, AggregationInput, byte[]> {
  private static final long serialVersionUID = 1L;
  private final WindowAggregationProps props;
  private transient ValueState<Long> eventsSeen;
  private transient ListState<Accumulator> openWindows;

  CountWindows(WindowAggregationProps props) {
    this.props = props;
  }

  @Override
  public void open(OpenContext openContext) {
    eventsSeen = getRuntimeContext().getState(new ValueStateDescriptor<>("events-seen", Long.class));
    openWindows =
        getRuntimeContext().getListState(new ListStateDescriptor<>("open-windows", Accumulator.class));
  }

  @Override
  public void processElement(AggregationInput event, Context ctx, Collector<byte[]> out)
      throws Exception {
    long seen = eventsSeen.value() == null ? 0 : eventsSeen.value();
    List<Accumulator> windows = new ArrayList<>();
    for (Accumulator open : openWindows.get()) windows.add(open);
    if (seen % props.slide() == 0) windows.add(new Accumulator());
    eventsSeen.update(seen + 1);
    List<Accumulator> stillOpen = new ArrayList<>();
    for (Accumulator window : windows) {
      window.add(event.value, event.timestamp);
      if (window.count >= props.size()) emit(ctx.getCurrentKey(), window, out);
      else stillOpen.add(window);
    }
    openWindows.update(stillOpen);
  }

  private void emit(String key, Accumulator window, Collector<byte[]> out) {
    out.collect(
        WindowAggregationJob.result(
            window.firstTimestamp, window.lastTimestamp, key, props.aggregate(), window));
  }
}
