package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The business-rules template: declarative rules (jobProps) applied to each event; an output may
 * carry its own routing key (route). Stateless, so a move or restart needs no state.
 */
public final class BusinessRulesJob {
  private BusinessRulesJob() {}

  public static void main(String[] args) throws Exception {
    RabbitMqJob.run(args, BusinessRulesJob::buildPipeline);
  }

  public static Pipeline buildPipeline(
      StreamExecutionEnvironment env, List<DataStream<RawEvent>> inputs, RuleConfig config) {
    BusinessRulesLogic.fromJobProps(config.jobProps()); // bad jobProps fail here, not in a task
    DataStream<RawEvent> input = Streams.union(inputs);
    // Same parallelism as the source so records are forwarded in order.
    SingleOutputStreamOperator<RoutedOutput> outputs =
        input
            .process(new Apply(Json.text(config.jobProps())))
            .returns(TypeInformation.of(RoutedOutput.class))
            .setParallelism(input.getParallelism())
            .name("business-rules")
            .uid("business-rules");
    return Pipeline.routed(outputs, outputs.getSideOutput(DeadLetter.TAG));
  }

  static final class Apply extends JsonEventFunction<RoutedOutput> {
    private static final long serialVersionUID = 1L;
    /** The jobProps as JSON text: the compiled rules are built per task in open(). */
    private final String jobProps;
    private transient BusinessRulesLogic logic;

    Apply(String jobProps) {
      this.jobProps = jobProps;
    }

    @Override
    public void open(OpenContext openContext) {
      logic = BusinessRulesLogic.fromJobProps(Json.parse(jobProps));
    }

    @Override
    RoutedOutput apply(RawEvent event, JsonNode json, Context ctx) throws Rejected {
      BusinessRulesLogic.Result result = logic.evaluate(event.body, json);
      return result == null ? null : new RoutedOutput(result.body(), result.routingKey());
    }
  }
}
