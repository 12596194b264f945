package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The join as the edge engine does it: per key, events are buffered in their tumbling window and
 * each arriving event pairs at once with every buffered event of the other side (in that side's
 * arrival order). Flink's window join would only emit when the window closes. A window's buffer
 * is dropped when the watermark passes its end; an event for a closed window is "late".
 */
final class EagerWindowJoin extends KeyedProcessFunction<String, JoinInput, byte[]> {
  private static final long serialVersionUID = 1L;
  static final ListStateDescriptor<JoinInput> BUFFERED =
      new ListStateDescriptor<>("buffered", TypeInformation.of(JoinInput.class));
  private final long windowSizeMs;
  private transient ListState<JoinInput> buffered;

  EagerWindowJoin(long windowSizeMs) {
    this.windowSizeMs = windowSizeMs;
  }

  @Override
  public void open(OpenContext openContext) {
    buffered = getRuntimeContext().getListState(BUFFERED);
  }

  @Override
  public void processElement(JoinInput event, Context ctx, Collector<byte[]> out) throws Exception {
    long start = TimeWindow.getWindowStartWithOffset(event.timestamp, 0, windowSizeMs);
    long end = start + windowSizeMs;
    // Flink's watermark is the edge watermark minus 1 (see EventTime): closed once edge wm >= end.
    if (end - 1 <= ctx.timerService().currentWatermark()) {
      ctx.output(
          DeadLetter.TAG,
          event.late(DeadLetterDetail.lateJoin(event.timestamp, start, end)));
      return;
    }
    JsonNode json = Json.parse(event.body);
    JsonNode key = KeyText.toJson(ctx.getCurrentKey());
    boolean isLeft = event.side == 0;
    boolean windowSeen = false;
    for (JoinInput other : buffered.get()) {
      if (TimeWindow.getWindowStartWithOffset(other.timestamp, 0, windowSizeMs) != start) continue;
      windowSeen = true;
      if (other.side == event.side) continue;
      JsonNode otherJson = Json.parse(other.body);
      ObjectNode pair = Json.object();
      pair.put("windowStart", start);
      pair.put("windowEnd", end);
      pair.set("key", key);
      pair.set("left", isLeft ? json : otherJson);
      pair.set("right", isLeft ? otherJson : json);
      out.collect(Json.bytes(pair));
    }
    buffered.add(event);
    if (!windowSeen) ctx.timerService().registerEventTimeTimer(end - 1);
  }

  /** The window ending at {@code timestamp + 1} closed: drop its buffered events. */
  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<byte[]> out) throws Exception {
    List<JoinInput> open = new ArrayList<>();
    for (JoinInput event : buffered.get()) {
      long end = TimeWindow.getWindowStartWithOffset(event.timestamp, 0, windowSizeMs) + windowSizeMs;
      if (end - 1 > timestamp) open.add(event);
    }
    buffered.update(open);
  }
}
