package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.state.AggregatingStateDescriptor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.internal.InternalAppendingState;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;
import org.apache.flink.state.api.functions.StateBootstrapFunction;
import org.apache.flink.state.api.output.operators.StateBootstrapWrapperOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * neutral -> Flink: a batch job (same jar, same session cluster) that writes a savepoint the rule
 * job then starts from, holding the neutral snapshot's state exactly where the rule job's own
 * operators keep it: time windows in the WindowOperator's "window-contents" state and
 * "window-timers" (uid "window"), count windows and join buffers in their process functions'
 * state, the watermark in {@link EventTimeWatermarks} and the keys holding state in
 * {@link KeyLimit}. A window the watermark already passed (end <= watermark) fired on the engine
 * the snapshot comes from: it gets only its cleanup timer, never its firing timer again.
 *
 * <pre>
 *   --config-base64 &lt;RuleConfig JSON&gt;   --snapshot-base64 &lt;RuleSnapshot JSON&gt;
 *   --savepoint-path &lt;where to write the savepoint (must not exist)&gt;
 * </pre>
 */
public final class SnapshotImportJob {
  /** Flink's default for parallelism up to 85, the rule jobs' max parallelism. */
  static final int MAX_PARALLELISM = 128;

  private SnapshotImportJob() {}

  public static void main(String[] args) throws Exception {
    StateArgs parsed = StateArgs.parse(args, "config-base64", "snapshot-base64", "savepoint-path");
    RuleConfig config = RuleConfig.parse(parsed.decoded("config-base64"));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    build(env, config, Json.parse(parsed.decoded("snapshot-base64")), parsed.text("savepoint-path"));
    env.execute("ruleshift snapshot import " + config.jobId());
  }

  /** The writing job on {@code env} (not executed). */
  static void build(StreamExecutionEnvironment env, RuleConfig config, JsonNode snapshot, String path)
      throws Rejected {
    env.setRuntimeMode(RuntimeExecutionMode.BATCH);
    env.setParallelism(1);
    JsonNode state = snapshot.path("state");
    Long watermark = snapshot.path("watermark").isNumber() ? snapshot.get("watermark").asLong() : null;
    SavepointWriter writer = SavepointWriter.newSavepoint(env, new HashMapStateBackend(), MAX_PARALLELISM);
    Map<String, Long> keys = new HashMap<>();
    long outOfOrderness;
    boolean eventTime;
    List<String> windowEntries = new ArrayList<>();
    switch (config.jobType()) {
      case "window-aggregation" -> {
        WindowAggregationProps props = WindowAggregationProps.parse(config.jobProps());
        outOfOrderness = props.maxOutOfOrdernessMs();
        if (props.kind() == WindowAggregationProps.WindowKind.COUNT) {
          eventTime = false;
          for (JsonNode entry : state.path("countWindows")) {
            windowEntries.add(Json.text(entry));
            keys.put(KeyText.of(entry.get("key")), entry.path("seen").asLong());
          }
          if (!windowEntries.isEmpty()) {
            writer.withOperator(
                OperatorIdentifier.forUid(SnapshotExportJob.WINDOW_UID),
                OperatorTransformation.bootstrapWith(env.fromData(windowEntries, Types.STRING))
                    .keyBy(SnapshotImportJob::keyOf, Types.STRING)
                    .transform(new WriteCountWindows()));
          }
        } else {
          eventTime = props.eventTime();
          long lateness = props.eventTime() ? props.allowedLatenessMs() : 0;
          for (JsonNode entry : state.path("windows")) {
            long end = entry.path("end").asLong();
            // Gone on the engine it came from once end + lateness <= watermark.
            if (watermark != null && end + lateness <= watermark) continue;
            windowEntries.add(Json.text(entry));
            keys.merge(KeyText.of(entry.get("key")), end, Math::max);
          }
          if (!windowEntries.isEmpty()) {
            WriteTimeWindows windows = new WriteTimeWindows(props.eventTime(), lateness, watermark);
            writer.withOperator(
                OperatorIdentifier.forUid(SnapshotExportJob.WINDOW_UID),
                OperatorTransformation.bootstrapWith(env.fromData(windowEntries, Types.STRING))
                    .keyBy(SnapshotImportJob::keyOf, Types.STRING)
                    .transform(
                        (timestamp, savepoint) ->
                            new StateBootstrapWrapperOperator<>(timestamp, savepoint, windows)));
          }
        }
      }
      case "window-join" -> {
        WindowJoinProps props = WindowJoinProps.parse(config.jobProps());
        outOfOrderness = props.maxOutOfOrdernessMs();
        eventTime = true;
        for (JsonNode entry : state.path("windows")) {
          long end = entry.path("end").asLong();
          if (watermark != null && end <= watermark) continue;
          WindowStateJson.joinEvents(entry, props); // refuses an event without its time here
          windowEntries.add(Json.text(entry));
          keys.merge(KeyText.of(entry.get("key")), end, Math::max);
        }
        if (!windowEntries.isEmpty()) {
          writer.withOperator(
              OperatorIdentifier.forUid(SnapshotExportJob.WINDOW_UID),
              OperatorTransformation.bootstrapWith(env.fromData(windowEntries, Types.STRING))
                  .keyBy(SnapshotImportJob::keyOf, Types.STRING)
                  .transform(new WriteJoinWindows(props)));
        }
      }
      default -> throw new IllegalArgumentException("template " + config.jobType() + " keeps no window state");
    }
    if (eventTime && watermark != null) {
      writer.withOperator(
          OperatorIdentifier.forUid(EventTimeWatermarks.UID),
          OperatorTransformation.bootstrapWith(env.fromData(List.of(watermark + outOfOrderness), Types.LONG))
              .transform(new WriteMaxEventTime()));
    }
    // Always written, so that even a snapshot without state makes a savepoint (the start's
    // restore path is then the same either way); the marker entry holds no key.
    List<Tuple2<String, Long>> entries = new ArrayList<>();
    entries.add(WriteKeyLimit.NO_KEY);
    keys.forEach((key, value) -> entries.add(Tuple2.of(key, value)));
    writer.withOperator(
        OperatorIdentifier.forUid(KeyLimit.UID),
        OperatorTransformation.bootstrapWith(env.fromData(entries, KeyLimit.KEY_TYPE))
            .transform(new WriteKeyLimit()));
    writer.write(path);
  }

  private static String keyOf(String entry) {
    return KeyText.of(Json.parse(entry).get("key"));
  }

  /**
   * Puts each time window in the WindowOperator's own state and timers: its accumulator under
   * the window as namespace, a firing timer at end - 1 unless the watermark passed it (already
   * fired), and the cleanup timer at end - 1 + allowedLateness.
   */
  static final class WriteTimeWindows extends AbstractStreamOperator<Void>
      implements OneInputStreamOperator<String, Void>, Triggerable<String, TimeWindow> {
    private static final long serialVersionUID = 1L;
    private final boolean eventTime;
    private final long allowedLatenessMs;
    private final Long watermark;
    private transient InternalAppendingState<String, TimeWindow, ?, Accumulator, ?> contents;
    private transient InternalTimerService<TimeWindow> timers;

    WriteTimeWindows(boolean eventTime, long allowedLatenessMs, Long watermark) {
      this.eventTime = eventTime;
      this.allowedLatenessMs = allowedLatenessMs;
      this.watermark = watermark;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void open() throws Exception {
      super.open();
      // The descriptor WindowedStream.aggregate gives the WindowOperator (name and serializer).
      AggregatingStateDescriptor<AggregationInput, Accumulator, Accumulator> descriptor =
          new AggregatingStateDescriptor<>(
              "window-contents",
              new WindowAggregationJob.Accumulate(),
              TypeInformation.of(Accumulator.class).createSerializer(getExecutionConfig().getSerializerConfig()));
      contents =
          (InternalAppendingState<String, TimeWindow, ?, Accumulator, ?>)
              getOrCreateKeyedState(new TimeWindow.Serializer(), descriptor);
      timers = getInternalTimerService("window-timers", new TimeWindow.Serializer(), this);
    }

    @Override
    public void processElement(StreamRecord<String> element) throws Exception {
      TimeWindowEntry entry = WindowStateJson.timeWindow(Json.parse(element.getValue()));
      TimeWindow window = new TimeWindow(entry.start, entry.end);
      contents.setCurrentNamespace(window);
      contents.updateInternal(entry.accumulator);
      boolean fired = watermark != null && entry.end <= watermark;
      long cleanup = window.maxTimestamp() + allowedLatenessMs;
      if (eventTime) {
        if (!fired) timers.registerEventTimeTimer(window, window.maxTimestamp());
        timers.registerEventTimeTimer(window, cleanup);
      } else {
        timers.registerProcessingTimeTimer(window, window.maxTimestamp());
      }
    }

    @Override
    public void onEventTime(InternalTimer<String, TimeWindow> timer) {}

    @Override
    public void onProcessingTime(InternalTimer<String, TimeWindow> timer) {}
  }

  /** CountWindows' per-key state: events counted and the events still needed. */
  static final class WriteCountWindows extends KeyedStateBootstrapFunction<String, String> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> seen;
    private transient ListState<CountElement> retained;

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
      seen = getRuntimeContext().getState(CountWindows.EVENTS_SEEN);
      retained = getRuntimeContext().getListState(CountWindows.RETAINED);
    }

    @Override
    public void processElement(String value, Context ctx) throws Exception {
      JsonNode entry = Json.parse(value);
      seen.update(entry.path("seen").asLong());
      retained.update(WindowStateJson.countElements(entry));
    }
  }

  /** EagerWindowJoin's buffers and its timer at each open window's end - 1. */
  static final class WriteJoinWindows extends KeyedStateBootstrapFunction<String, String> {
    private static final long serialVersionUID = 1L;
    private final WindowJoinProps props;
    private transient ListState<JoinInput> buffered;

    WriteJoinWindows(WindowJoinProps props) {
      this.props = props;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
      buffered = getRuntimeContext().getListState(EagerWindowJoin.BUFFERED);
    }

    @Override
    public void processElement(String value, Context ctx) throws Exception {
      JsonNode entry = Json.parse(value);
      buffered.addAll(WindowStateJson.joinEvents(entry, props));
      ctx.timerService().registerEventTimeTimer(entry.path("end").asLong() - 1);
    }
  }

  /** EventTimeWatermarks' largest event time seen. */
  static final class WriteMaxEventTime extends StateBootstrapFunction<Long> {
    private static final long serialVersionUID = 1L;
    private transient ListState<Long> saved;

    @Override
    public void processElement(Long value, Context ctx) throws Exception {
      saved.add(value);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {}

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
      saved = context.getOperatorStateStore().getUnionListState(EventTimeWatermarks.MAX_EVENT_TIME);
    }
  }

  /** KeyLimit's keys holding state (time windows: last window end; count windows: seen). */
  static final class WriteKeyLimit extends StateBootstrapFunction<Tuple2<String, Long>> {
    private static final long serialVersionUID = 1L;
    static final Tuple2<String, Long> NO_KEY = Tuple2.of("", Long.MIN_VALUE);
    private transient ListState<Tuple2<String, Long>> keys;

    @Override
    public void processElement(Tuple2<String, Long> value, Context ctx) throws Exception {
      if (!NO_KEY.equals(value)) keys.add(value);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {}

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
      keys = context.getOperatorStateStore().getListState(KeyLimit.KEYS);
    }
  }
}
