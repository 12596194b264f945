package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.SlidingProcessingTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingProcessingTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * count/sum/avg/min/max over tumbling or sliding time windows (event or processing time) or
 * count windows, optionally per group-by key. One output per window and key:
 * {@code {"windowStart","windowEnd","key","aggregate","value","count"}}. Late events within
 * allowedLatenessMs update the window and fire it again; later ones are dead-lettered "late".
 */
public final class WindowAggregationJob {
  static final OutputTag<AggregationInput> LATE = new OutputTag<>("late") {};

  private WindowAggregationJob() {}

  public static void main(String[] args) throws Exception {
    RabbitMqJob.run(args, WindowAggregationJob::buildPipeline);
  }

  public static Pipeline buildPipeline(
      StreamExecutionEnvironment env, List<DataStream<RawEvent>> inputs, RuleConfig config) {
    WindowAggregationProps props = WindowAggregationProps.parse(config.jobProps());
    DataStream<RawEvent> input = Streams.union(inputs);
    int sourceParallelism = input.getParallelism();
    SingleOutputStreamOperator<AggregationInput> extracted =
        input
            .process(new Extract(new AggregationExtractor(props)))
            .returns(TypeInformation.of(AggregationInput.class))
            .setParallelism(sourceParallelism)
            .name("extract key/time/value")
            .uid("extract");
    DataStream<DeadLetter> deadLetters = extracted.getSideOutput(DeadLetter.TAG);

    DataStream<AggregationInput> timed = extracted;
    if (props.eventTime() && props.kind() != WindowAggregationProps.WindowKind.COUNT) {
      long outOfOrderness = props.maxOutOfOrdernessMs();
      timed =
          extracted
              .transform(
                  "watermarks",
                  TypeInformation.of(AggregationInput.class),
                  // A partition without events must not hold back the others' windows.
                  new EventTimeWatermarks<AggregationInput>(outOfOrderness, EventTime.IDLE_PARTITION))
              .setParallelism(sourceParallelism)
              .uid(EventTimeWatermarks.UID);
    }
    // One instance sees every key: maxKeys counts keys across all key groups, as the edge does.
    SingleOutputStreamOperator<AggregationInput> limited =
        timed
            .process(new KeyLimit<AggregationInput>(KeyLimit.of(props)))
            .returns(TypeInformation.of(AggregationInput.class))
            .setParallelism(1)
            .name("maxKeys " + props.maxKeys())
            .uid("key-limit");
    deadLetters = deadLetters.union(limited.getSideOutput(DeadLetter.TAG));
    KeyedStream<AggregationInput, String> keyed = limited.keyBy(new ByKey());

    SingleOutputStreamOperator<byte[]> outputs;
    if (props.kind() == WindowAggregationProps.WindowKind.COUNT) {
      outputs =
          keyed
              .process(new CountWindows(props))
              .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
              .name("count window " + props.aggregate().jsonName())
              .uid("window");
    } else {
      outputs =
          keyed
              .window(timeWindows(props))
              .allowedLateness(Duration.ofMillis(props.allowedLatenessMs()))
              .sideOutputLateData(LATE)
              .aggregate(new Accumulate(), new EmitTimeWindow(props.aggregate()),
                  TypeInformation.of(Accumulator.class),
                  TypeInformation.of(Accumulator.class),
                  PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
              .name("time window " + props.aggregate().jsonName())
              .uid("window");
      DataStream<DeadLetter> late =
          outputs
              .getSideOutput(LATE)
              .map(event -> event.late(DeadLetterDetail.late(event.timestamp, props.allowedLatenessMs())))
              .returns(TypeInformation.of(DeadLetter.class))
              .name("late to dead letters");
      deadLetters = deadLetters.union(late);
    }
    return new Pipeline(outputs, deadLetters);
  }

  static WindowAssigner<Object, TimeWindow> timeWindows(WindowAggregationProps props) {
    Duration size = Duration.ofMillis(props.sizeMs());
    Duration slide = Duration.ofMillis(props.slideMs());
    boolean sliding = props.kind() == WindowAggregationProps.WindowKind.SLIDING;
    if (props.eventTime()) {
      return sliding ? SlidingEventTimeWindows.of(size, slide) : TumblingEventTimeWindows.of(size);
    }
    return sliding
        ? SlidingProcessingTimeWindows.of(size, slide)
        : TumblingProcessingTimeWindows.of(size);
  }

  static byte[] result(
      long start, long end, String key, WindowAggregationProps.Aggregate aggregate, Accumulator acc) {
    ObjectNode out = Json.object();
    out.put("windowStart", start);
    out.put("windowEnd", end);
    out.set("key", KeyText.toJson(key));
    out.put("aggregate", aggregate.jsonName());
    out.set("value", Json.number(acc.result(aggregate)));
    out.put("count", acc.count);
    return Json.bytes(out);
  }

  static final class ByKey implements KeySelector<AggregationInput, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(AggregationInput value) {
      return value.key;
    }
  }

  static final class Extract extends JsonEventFunction<AggregationInput> {
    private static final long serialVersionUID = 1L;
    private final AggregationExtractor extractor;

    Extract(AggregationExtractor extractor) {
      this.extractor = extractor;
    }

    @Override
    AggregationInput apply(RawEvent event, JsonNode json, Context ctx) throws Rejected {
      AggregationInput extracted = new AggregationInput();
      extractor.extract(json, ctx.timerService().currentProcessingTime(), extracted);
      extracted.body = event.body;
      extracted.input = event.input;
      extracted.sourceExchange = event.sourceExchange;
      extracted.sourceRoutingKey = event.sourceRoutingKey;
      return extracted;
    }
  }

  static final class Accumulate implements AggregateFunction<AggregationInput, Accumulator, Accumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public Accumulator createAccumulator() {
      return new Accumulator();
    }

    @Override
    public Accumulator add(AggregationInput value, Accumulator acc) {
      acc.add(value.value, value.timestamp);
      return acc;
    }

    @Override
    public Accumulator getResult(Accumulator acc) {
      return acc;
    }

    @Override
    public Accumulator merge(Accumulator a, Accumulator b) {
      return a.merge(b);
    }
  }

  static final class EmitTimeWindow
      extends ProcessWindowFunction<Accumulator, byte[], String, TimeWindow> {
    private static final long serialVersionUID = 1L;
    private final WindowAggregationProps.Aggregate aggregate;

    EmitTimeWindow(WindowAggregationProps.Aggregate aggregate) {
      this.aggregate = aggregate;
    }

    @Override
    public void process(String key, Context ctx, Iterable<Accumulator> elements, Collector<byte[]> out) {
      for (Accumulator acc : elements) {
        out.collect(result(ctx.window().getStart(), ctx.window().getEnd(), key, aggregate, acc));
      }
    }
  }
}
