package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** {@link CountWindows} on Flink's keyed operator test harness. */
class CountWindowsTest {
  /** Sliding count windows of 3 events, one opening at every event, summing the values. */
  private static final WindowAggregationProps PROPS =
      new WindowAggregationProps(
          WindowAggregationProps.Aggregate.SUM,
          null,
          WindowAggregationProps.WindowKind.COUNT,
          false,
          0,
          0,
          3,
          1,
          null,
          null,
          0,
          0,
          WindowAggregationProps.DEFAULT_MAX_KEYS);

  /** The state layout CountWindows had before the retained events (until 05a2621), verbatim. */
  static final class EarlierCountWindows extends KeyedProcessFunction<String, AggregationInput, byte[]> {
    private transient ValueState<Long> eventsSeen;
    private transient ListState<Accumulator> openWindows;

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
      if (seen % PROPS.slide() == 0) windows.add(new Accumulator());
      eventsSeen.update(seen + 1);
      List<Accumulator> stillOpen = new ArrayList<>();
      for (Accumulator window : windows) {
        window.add(event.value, event.timestamp);
        if (window.count >= PROPS.size()) {
          out.collect(
              WindowAggregationJob.result(
                  window.firstTimestamp, window.lastTimestamp, ctx.getCurrentKey(), PROPS.aggregate(), window));
        } else {
          stillOpen.add(window);
        }
      }
      openWindows.update(stillOpen);
    }
  }

  private static AggregationInput event(int n) {
    AggregationInput event = new AggregationInput();
    event.key = "\"a\"";
    event.timestamp = n * 1000L;
    event.value = n;
    return event;
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, AggregationInput, byte[]> harness(
      KeyedProcessFunction<String, AggregationInput, byte[]> function) throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(function), e -> e.key, Types.STRING);
  }

  /** Each window as "start-end:sum". */
  private static List<String> windows(KeyedOneInputStreamOperatorTestHarness<String, AggregationInput, byte[]> h)
      throws Exception {
    List<String> out = new ArrayList<>();
    for (byte[] result : h.extractOutputValues()) {
      JsonNode window = Json.MAPPER.readTree(result);
      out.add(
          window.get("windowStart").asLong() / 1000
              + "-"
              + window.get("windowEnd").asLong() / 1000
              + ":"
              + window.get("value").asLong());
    }
    return out;
  }

  @Test
  void stateOfTheEarlierLayoutRestoresAndItsOpenWindowsFireExactly() throws Exception {
    OperatorSubtaskState saved;
    try (var earlier = harness(new EarlierCountWindows())) {
      earlier.open();
      for (int n = 1; n <= 5; n++) earlier.processElement(new StreamRecord<>(event(n)));
      assertEquals(List.of("1-3:6", "2-4:9", "3-5:12"), windows(earlier));
      saved = earlier.snapshot(1, 1);
    }
    try (var restored = harness(new CountWindows(PROPS))) {
      restored.initializeState(saved);
      restored.open();
      for (int n = 6; n <= 9; n++) restored.processElement(new StreamRecord<>(event(n)));
      // Windows 4-6 and 5-7 opened before the restore, 6-8 and 7-9 after it.
      assertEquals(List.of("4-6:15", "5-7:18", "6-8:21", "7-9:24"), windows(restored));
    }
  }

  @Test
  void slidingCountWindowsFireOnceFullAndSurviveARestore() throws Exception {
    OperatorSubtaskState saved;
    try (var before = harness(new CountWindows(PROPS))) {
      before.open();
      for (int n = 1; n <= 4; n++) before.processElement(new StreamRecord<>(event(n)));
      assertEquals(List.of("1-3:6", "2-4:9"), windows(before));
      saved = before.snapshot(1, 1);
    }
    try (var restored = harness(new CountWindows(PROPS))) {
      restored.initializeState(saved);
      restored.open();
      restored.processElement(new StreamRecord<>(event(5)));
      assertEquals(List.of("3-5:12"), windows(restored));
    }
  }
}
