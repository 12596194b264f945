package io.ruleshift.flink;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * {@code maxKeys} with the edge engine's meaning (libs/engine windows/key-registry.ts): at most
 * that many distinct keys hold window state at once; an event of a key that holds none while the
 * limit is reached is dead-lettered {@code rule-error} and touches no window. It sits before the
 * keyBy, on the sources' single stream, because the limit counts keys across every key group;
 * it models when the window operator downstream holds state for a key:
 *
 * <ul>
 *   <li>time windows: from the event that opens a key's window until the watermark passes the
 *       window's end plus allowedLatenessMs (when the edge drops it, and Flink's window operator
 *       cleans it); an event with no open window left is not counted (it is late downstream);
 *   <li>count windows: from the key's first event until no window of it is open (every window
 *       opened has fired), as CountWindows and the edge's count windows keep it.
 * </ul>
 */
final class KeyLimit<T extends KeyLimit.Limited> extends ProcessFunction<T, T>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;

  /** What the limit reads of an event, and the dead letter it becomes when refused. */
  interface Limited {
    String limitKey();

    long limitTime();

    DeadLetter refused(String detail);
  }

  /** The windows whose state the limit models (one shape for aggregations and joins). */
  record Shape(
      boolean count,
      boolean eventTime,
      long sizeMs,
      long slideMs,
      long allowedLatenessMs,
      long size,
      long slide,
      long maxKeys)
      implements java.io.Serializable {}

  static Shape of(WindowAggregationProps props) {
    return new Shape(
        props.kind() == WindowAggregationProps.WindowKind.COUNT,
        props.eventTime(),
        props.sizeMs(),
        props.slideMs(),
        props.allowedLatenessMs(),
        props.size(),
        props.slide(),
        props.maxKeys());
  }

  /** A join's tumbling window is gone once the watermark reaches its end (no lateness). */
  static Shape of(WindowJoinProps props) {
    return new Shape(
        false, true, props.windowSizeMs(), props.windowSizeMs(), 0, 0, 0, props.maxKeys());
  }

  static final String UID = "key-limit";
  static final TypeInformation<Tuple2<String, Long>> KEY_TYPE =
      TypeInformation.of(new TypeHint<Tuple2<String, Long>>() {});
  static final ListStateDescriptor<Tuple2<String, Long>> KEYS =
      new ListStateDescriptor<>("keys-holding-state", KEY_TYPE);

  private final Shape props;
  /** Per key holding state: time windows, its last window end; count windows, events seen. */
  private transient Map<String, Long> keys;
  private transient ListState<Tuple2<String, Long>> checkpointed;

  KeyLimit(Shape props) {
    this.props = props;
  }

  @Override
  public void processElement(T event, Context ctx, Collector<T> out) {
    boolean admitted =
        props.count()
            ? admitCount(event.limitKey())
            : admitTimed(event.limitKey(), event.limitTime(), watermark(ctx));
    if (admitted) out.collect(event);
    else ctx.output(DeadLetter.TAG, event.refused(DeadLetterDetail.stateLimit(props.maxKeys())));
  }

  /** The edge watermark (Flink's plus 1, see EventTime), or the clock for processing time. */
  private long watermark(Context ctx) {
    if (!props.eventTime()) return ctx.timerService().currentProcessingTime();
    long flink = ctx.timerService().currentWatermark();
    return flink == Long.MIN_VALUE ? Long.MIN_VALUE : flink + 1;
  }

  private boolean admitTimed(String key, long time, long watermark) {
    long lateness = props.allowedLatenessMs();
    // Windows end + allowedLateness <= watermark are gone on both engines.
    for (Iterator<Map.Entry<String, Long>> it = keys.entrySet().iterator(); it.hasNext(); ) {
      if (expired(it.next().getValue(), lateness, watermark)) it.remove();
    }
    long slide = props.slideMs();
    long lastStart = Math.floorDiv(time, slide) * slide;
    if (expired(lastStart + props.sizeMs(), lateness, watermark)) return true; // late downstream
    Long known = keys.get(key);
    if (known == null && keys.size() >= props.maxKeys()) return false;
    long end = lastStart + props.sizeMs();
    keys.put(key, known == null ? end : Math.max(known, end));
    return true;
  }

  private static boolean expired(long end, long lateness, long watermark) {
    return watermark != Long.MIN_VALUE && end + lateness <= watermark;
  }

  private boolean admitCount(String key) {
    Long known = keys.get(key);
    if (known == null && keys.size() >= props.maxKeys()) return false;
    long seen = (known == null ? 0 : known) + 1;
    long size = props.size();
    long slide = props.slide();
    // The next window to fire starts at nextWindow * slide; none is open past it.
    long nextWindow = seen >= size ? (seen - size) / slide + 1 : 0;
    if (seen % slide == 0 && seen <= nextWindow * slide) keys.remove(key);
    else keys.put(key, seen);
    return true;
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    checkpointed.clear();
    for (Map.Entry<String, Long> entry : keys.entrySet()) {
      checkpointed.add(Tuple2.of(entry.getKey(), entry.getValue()));
    }
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    checkpointed = context.getOperatorStateStore().getListState(KEYS);
    keys = new HashMap<>();
    for (Tuple2<String, Long> entry : checkpointed.get()) keys.put(entry.f0, entry.f1);
  }
}
