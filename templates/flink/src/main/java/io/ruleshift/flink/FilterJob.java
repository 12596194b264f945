package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The paper's threshold filter: forwards the whole event, unchanged, when the condition holds. */
public final class FilterJob {
  private FilterJob() {}

  public static void main(String[] args) throws Exception {
    RabbitMqJob.run(args, FilterJob::buildPipeline);
  }

  public static Pipeline buildPipeline(
      StreamExecutionEnvironment env, List<DataStream<RawEvent>> inputs, RuleConfig config) {
    FilterLogic logic = FilterLogic.fromJobProps(config.jobProps()); // bad jobProps fail here
    DataStream<RawEvent> input = Streams.union(inputs);
    // Same parallelism as the source so records are forwarded in order (per-key order).
    SingleOutputStreamOperator<byte[]> passed =
        input
            .process(new Apply(logic))
            .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
            .setParallelism(input.getParallelism())
            .name("filter " + logic.path())
            .uid("filter");
    return new Pipeline(passed, passed.getSideOutput(DeadLetter.TAG));
  }

  static final class Apply extends JsonEventFunction<byte[]> {
    private static final long serialVersionUID = 1L;
    private final FilterLogic logic;

    Apply(FilterLogic logic) {
      this.logic = logic;
    }

    @Override
    byte[] apply(RawEvent event, JsonNode json, Context ctx) throws Rejected {
      return logic.test(json) ? event.body : null;
    }
  }
}
