package io.ruleshift.flink;

import java.io.Serializable;
import java.util.Map;

/** One message to publish. */
public record RmqMessage(String exchange, String routingKey, Map<String, Object> headers, byte[] body) {

  /** Turns a stream element into a message; serialisable because it ships with the sink. */
  @FunctionalInterface
  public interface Mapper<T> extends Serializable {
    RmqMessage map(T value);
  }
}
