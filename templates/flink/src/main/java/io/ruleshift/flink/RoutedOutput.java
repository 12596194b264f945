package io.ruleshift.flink;

/**
 * An output message with the routing key it asked for: null means the output connector's key.
 * A Flink POJO (public fields, no-arg constructor) so it is serialised without Kryo.
 */
public class RoutedOutput {
  public byte[] body;
  public String routingKey;

  public RoutedOutput() {}

  public RoutedOutput(byte[] body, String routingKey) {
    this.body = body;
    this.routingKey = routingKey;
  }
}
