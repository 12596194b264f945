package io.ruleshift.flink;

import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * What a job's transformation produces, without its RabbitMQ ends: JSON output messages and
 * dead letters. The job's main wires them to confirming sinks; tests collect them. Exactly one
 * of {@code outputs} (published with the connector's routing key) and {@code routedOutputs}
 * (each with its own key, or the connector's when null) is set.
 */
public record Pipeline(
    DataStream<byte[]> outputs,
    DataStream<RoutedOutput> routedOutputs,
    DataStream<DeadLetter> deadLetters) {

  public Pipeline(DataStream<byte[]> outputs, DataStream<DeadLetter> deadLetters) {
    this(outputs, null, deadLetters);
  }

  public static Pipeline routed(
      DataStream<RoutedOutput> outputs, DataStream<DeadLetter> deadLetters) {
    return new Pipeline(null, outputs, deadLetters);
  }
}
