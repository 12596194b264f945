package io.ruleshift.flink;

import java.io.Serializable;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A job's transformation between pluggable ends: the job's main passes RabbitMQ sources, tests
 * pass bounded collections. {@code inputs} holds one stream per input connector (or one stream
 * carrying every input, told apart by {@link RawEvent#input}).
 */
@FunctionalInterface
public interface PipelineBuilder extends Serializable {
  Pipeline build(StreamExecutionEnvironment env, List<DataStream<RawEvent>> inputs, RuleConfig config);
}
