package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Joins the first input (left) with connectors.secondInput (right) on key equality within
 * tumbling event-time windows: one {@code {"windowStart","windowEnd","key","left","right"}} per
 * matching pair as soon as both are present (see {@link EagerWindowJoin}); unmatched events are
 * dropped when the window closes. Both inputs share one
 * watermark (the largest event time seen on either, minus maxOutOfOrdernessMs), as on the edge.
 * Events for an already closed window are dead-lettered "late".
 */
public final class WindowJoinJob {
  private WindowJoinJob() {}

  public static void main(String[] args) throws Exception {
    RabbitMqJob.run(args, WindowJoinJob::buildPipeline);
  }

  public static Pipeline buildPipeline(
      StreamExecutionEnvironment env, List<DataStream<RawEvent>> inputs, RuleConfig config) {
    WindowJoinProps props = WindowJoinProps.parse(config.jobProps());
    DataStream<RawEvent> input = Streams.union(inputs);
    // One extractor and one watermark generator see both inputs in arrival order.
    SingleOutputStreamOperator<JoinInput> extracted =
        input
            .process(new Extract(props))
            .returns(TypeInformation.of(JoinInput.class))
            .setParallelism(1)
            .name("extract join key/time")
            .uid("extract");
    long outOfOrderness = props.maxOutOfOrdernessMs();
    DataStream<JoinInput> timed =
        extracted
            .transform(
                "watermarks",
                TypeInformation.of(JoinInput.class),
                new EventTimeWatermarks<JoinInput>(outOfOrderness, null))
            .setParallelism(1)
            .uid(EventTimeWatermarks.UID);
    // One instance sees every key: maxKeys counts keys across all key groups, as the edge does.
    SingleOutputStreamOperator<JoinInput> limited =
        timed
            .process(new KeyLimit<JoinInput>(KeyLimit.of(props)))
            .returns(TypeInformation.of(JoinInput.class))
            .setParallelism(1)
            .name("maxKeys " + props.maxKeys())
            .uid("key-limit");
    SingleOutputStreamOperator<byte[]> pairs =
        limited
            .keyBy(new ByKey())
            .process(new EagerWindowJoin(props.windowSizeMs()))
            .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
            .name("join window")
            .uid("window");
    return new Pipeline(
        pairs,
        extracted
            .getSideOutput(DeadLetter.TAG)
            .union(limited.getSideOutput(DeadLetter.TAG), pairs.getSideOutput(DeadLetter.TAG)));
  }

  static final class ByKey implements KeySelector<JoinInput, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(JoinInput value) {
      return value.key;
    }
  }

  static final class Extract extends JsonEventFunction<JoinInput> {
    private static final long serialVersionUID = 1L;
    private final WindowJoinProps props;

    Extract(WindowJoinProps props) {
      this.props = props;
    }

    @Override
    JoinInput apply(RawEvent event, JsonNode json, Context ctx) throws Rejected {
      boolean left = event.input == 0;
      JoinInput joined = new JoinInput();
      joined.timestamp = EventTime.read(left ? props.leftTimePath() : props.rightTimePath(), json);
      JsonPath keyPath = left ? props.leftKeyPath() : props.rightKeyPath();
      JsonNode key = keyPath.read(json);
      if (key == null) throw Rejected.missing(keyPath);
      joined.key = KeyText.of(key);
      joined.side = left ? 0 : 1;
      joined.body = event.body;
      joined.sourceExchange = event.sourceExchange;
      joined.sourceRoutingKey = event.sourceRoutingKey;
      return joined;
    }
  }
}
