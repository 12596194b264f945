package io.ruleshift.flink;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Timestamps and bounded out-of-orderness watermarks with the edge engine's rules: a watermark
 * goes out right after each event that advances it (not periodically), so whether an event is
 * late depends only on the events before it, exactly as on the edge. Flink's watermark W means
 * "no more events at or before W", so it is the edge watermark minus 1: a window [s, e) fires
 * once an event at e + maxOutOfOrderness arrives on both engines. Unlike Flink's own watermark
 * assigner, the largest event time seen is operator state. Flink keeps no watermark in a
 * checkpoint or savepoint, so without it a restored job would start at Long.MIN_VALUE and treat
 * windows the watermark had already passed as open (firing them twice) and late events as on
 * time. After a restore the saved watermark goes out before the first event, so the first event
 * is judged against it as on the engine it came from. The state is read and written by
 * {@link SnapshotExportJob} and {@link SnapshotImportJob} (operator uid "watermarks").
 */
final class EventTimeWatermarks<T extends EventTimeWatermarks.Timestamped>
    extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
  private static final long serialVersionUID = 1L;
  static final String UID = "watermarks";
  /**
   * Union state, one entry per subtask that saw an event: every subtask restores the smallest of
   * them (see {@link #restoredMaxTimestamp}).
   */
  static final ListStateDescriptor<Long> MAX_EVENT_TIME =
      new ListStateDescriptor<>("max-event-time", Types.LONG);

  /** The event time an element carries. */
  interface Timestamped extends Serializable {
    long eventTime();
  }

  private final long maxOutOfOrdernessMs;
  /** No event for this long marks the subtask idle (as Flink's withIdleness); null: never. */
  private final Duration idleAfter;
  private transient ListState<Long> saved;
  private transient long maxTimestamp;
  private transient boolean restoredWatermarkPending;
  private transient long lastEventAt;
  private transient boolean idle;

  EventTimeWatermarks(long maxOutOfOrdernessMs, Duration idleAfter) {
    this.maxOutOfOrdernessMs = maxOutOfOrdernessMs;
    this.idleAfter = idleAfter;
  }

  /** Flink's watermark for a largest event time: the edge watermark minus 1 (see EventTime). */
  static long flinkWatermark(long maxTimestamp, long maxOutOfOrdernessMs) {
    return maxTimestamp - maxOutOfOrdernessMs - 1;
  }

  /**
   * The largest event time a restored job (or the neutral snapshot) carries on from, given each
   * subtask's largest event time: the smallest of them, Long.MIN_VALUE for none. The operators
   * after the watermark subtasks fire at the smallest of their watermarks, so windows between the
   * smallest and the largest have not fired: taking the largest would have a snapshot call them
   * fired (lost on the engine that takes it) and would make the events still queued on the
   * slower partitions late after a restore.
   */
  static long restoredMaxTimestamp(Iterable<Long> subtaskMaxTimestamps) {
    long smallest = Long.MAX_VALUE;
    for (Long time : subtaskMaxTimestamps) smallest = Math.min(smallest, time);
    return smallest == Long.MAX_VALUE ? Long.MIN_VALUE : smallest;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    saved = context.getOperatorStateStore().getUnionListState(MAX_EVENT_TIME);
    maxTimestamp = restoredMaxTimestamp(saved.get());
    restoredWatermarkPending = maxTimestamp != Long.MIN_VALUE;
  }

  @Override
  public void open() throws Exception {
    super.open();
    if (idleAfter == null) return;
    ProcessingTimeService clock = getProcessingTimeService();
    lastEventAt = clock.getCurrentProcessingTime();
    long period = Math.max(1, idleAfter.toMillis() / 4);
    clock.scheduleWithFixedDelay(this::markIdleWhenQuiet, period, period);
  }

  private void markIdleWhenQuiet(long now) {
    if (!idle && now - lastEventAt >= idleAfter.toMillis()) {
      idle = true;
      output.emitWatermarkStatus(WatermarkStatus.IDLE);
    }
  }

  @Override
  public void processElement(StreamRecord<T> element) {
    if (idleAfter != null) {
      lastEventAt = getProcessingTimeService().getCurrentProcessingTime();
      if (idle) {
        idle = false;
        output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
      }
    }
    if (restoredWatermarkPending) {
      restoredWatermarkPending = false;
      output.emitWatermark(new Watermark(flinkWatermark(maxTimestamp, maxOutOfOrdernessMs)));
    }
    long time = element.getValue().eventTime();
    output.collect(element.replace(element.getValue(), time));
    if (time > maxTimestamp) {
      maxTimestamp = time;
      output.emitWatermark(new Watermark(flinkWatermark(time, maxOutOfOrdernessMs)));
    }
  }

  /** Upstream watermarks are replaced by ours, except end of input, which fires every window. */
  @Override
  public void processWatermark(Watermark mark) {
    if (mark.getTimestamp() == Long.MAX_VALUE) output.emitWatermark(mark);
  }

  /** Idleness is ours to say (the sources have no watermarks). */
  @Override
  public void processWatermarkStatus(WatermarkStatus status) {}

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    saved.update(maxTimestamp == Long.MIN_VALUE ? List.of() : List.of(maxTimestamp));
  }
}
