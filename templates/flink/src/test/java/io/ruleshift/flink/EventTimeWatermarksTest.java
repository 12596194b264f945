package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** {@link EventTimeWatermarks} on Flink's operator test harness. */
class EventTimeWatermarksTest {
  private static AggregationInput at(long time) {
    AggregationInput event = new AggregationInput();
    event.key = "\"a\"";
    event.timestamp = time;
    return event;
  }

  private static OneInputStreamOperatorTestHarness<AggregationInput, AggregationInput> harness(
      Duration idleAfter) throws Exception {
    return new OneInputStreamOperatorTestHarness<>(new EventTimeWatermarks<>(100, idleAfter));
  }

  /** The output as text: "e<time>" per event (with its record timestamp), "w<wm>", "idle"/"active". */
  private static List<String> output(OneInputStreamOperatorTestHarness<AggregationInput, AggregationInput> h) {
    List<String> out = new ArrayList<>();
    for (Object item : h.getOutput()) {
      if (item instanceof StreamRecord<?> record) {
        out.add("e" + ((AggregationInput) record.getValue()).timestamp + "@" + record.getTimestamp());
      } else if (item instanceof Watermark mark) {
        out.add("w" + mark.getTimestamp());
      } else if (item instanceof WatermarkStatus status) {
        out.add(status.isIdle() ? "idle" : "active");
      }
    }
    return out;
  }

  @Test
  void stampsEachEventAndEmitsTheWatermarkRightAfterEveryEventThatAdvancesIt() throws Exception {
    try (var h = harness(null)) {
      h.open();
      h.processElement(new StreamRecord<>(at(1000)));
      h.processElement(new StreamRecord<>(at(900)));
      h.processElement(new StreamRecord<>(at(1500)));
      // Upstream watermarks are ignored; end of input passes.
      h.processWatermark(new Watermark(5000));
      h.processWatermark(Watermark.MAX_WATERMARK);
      assertEquals(
          List.of("e1000@1000", "w899", "e900@900", "e1500@1500", "w1399", "w" + Long.MAX_VALUE),
          output(h));
    }
  }

  @Test
  void aRestoredJobSendsTheSavedWatermarkBeforeItsFirstEvent() throws Exception {
    OperatorSubtaskState saved;
    try (var h = harness(null)) {
      h.open();
      h.processElement(new StreamRecord<>(at(2000)));
      saved = h.snapshot(1, 1);
    }
    try (var restored = harness(null)) {
      restored.initializeState(saved);
      restored.open();
      // A late event (behind the saved watermark) is judged against it, as on the engine before.
      restored.processElement(new StreamRecord<>(at(1500)));
      restored.processElement(new StreamRecord<>(at(2500)));
      assertEquals(List.of("w1899", "e1500@1500", "e2500@2500", "w2399"), output(restored));
    }
  }

  private static OneInputStreamOperatorTestHarness<AggregationInput, AggregationInput> subtask(
      int index, int parallelism) throws Exception {
    return new OneInputStreamOperatorTestHarness<>(
        new EventTimeWatermarks<>(100, null), 128, parallelism, index);
  }

  @Test
  void aRestoredParallelJobCarriesOnFromTheSlowestSubtaskOnEverySubtask() throws Exception {
    // Subtask 0 saw up to 2000, subtask 1 up to 1200, subtask 2 nothing: the windows after
    // them fired up to 1200 only, so every subtask restores 1200 (an event at 1500 is on time).
    List<OperatorSubtaskState> saved = new ArrayList<>();
    long[][] seen = {{1000, 2000}, {1200}, {}};
    for (int index = 0; index < seen.length; index++) {
      try (var h = subtask(index, seen.length)) {
        h.open();
        for (long time : seen[index]) h.processElement(new StreamRecord<>(at(time)));
        saved.add(h.snapshot(1, 1));
      }
    }
    OperatorSubtaskState union =
        AbstractStreamOperatorTestHarness.repackageState(saved.toArray(OperatorSubtaskState[]::new));
    for (int index = 0; index < 4; index++) {
      try (var restored = subtask(index, 4)) {
        restored.setup();
        restored.initializeState(
            AbstractStreamOperatorTestHarness.repartitionOperatorState(union, 128, 3, 4, index));
        restored.open();
        restored.processElement(new StreamRecord<>(at(1500)));
        assertEquals(List.of("w1099", "e1500@1500", "w1399"), output(restored), "subtask " + index);
      }
    }
    assertEquals(Long.MIN_VALUE, EventTimeWatermarks.restoredMaxTimestamp(List.<Long>of()));
  }

  @Test
  void aRestoredJobWithoutEventsKeepsTheWatermarkInItsNextSavepoint() throws Exception {
    OperatorSubtaskState saved;
    try (var h = harness(null)) {
      h.open();
      h.processElement(new StreamRecord<>(at(2000)));
      saved = h.snapshot(1, 1);
    }
    OperatorSubtaskState again;
    try (var idle = harness(null)) {
      idle.initializeState(saved);
      idle.open();
      again = idle.snapshot(2, 2);
    }
    try (var restored = harness(null)) {
      restored.initializeState(again);
      restored.open();
      restored.processElement(new StreamRecord<>(at(1000)));
      assertEquals(List.of("w1899", "e1000@1000"), output(restored));
    }
  }

  @Test
  void marksItselfIdleAfterTheIdleTimeWithoutEventsAndActiveAgainAtTheNextEvent() throws Exception {
    try (var h = harness(Duration.ofMillis(2000))) {
      h.setProcessingTime(0);
      h.open();
      h.processElement(new StreamRecord<>(at(1000)));
      h.setProcessingTime(1500);
      h.setProcessingTime(2500);
      h.processElement(new StreamRecord<>(at(1100)));
      assertEquals(List.of("e1000@1000", "w899", "idle", "active", "e1100@1100", "w999"), output(h));
    }
  }
}
