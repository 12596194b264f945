package io.ruleshift.flink;

/**
 * One message as it came off an input queue: the original bytes (kept for dead letters and for
 * the filter's unchanged output) and where it came from. A Flink POJO (public fields, no-arg
 * constructor) so it is serialised without Kryo.
 */
public class RawEvent {
  public byte[] body;
  /** Connector index: 0, or 1 for the second input of a join. */
  public int input;
  public String sourceExchange;
  public String sourceRoutingKey;

  public RawEvent() {}

  public RawEvent(byte[] body, int input, String sourceExchange, String sourceRoutingKey) {
    this.body = body;
    this.input = input;
    this.sourceExchange = sourceExchange;
    this.sourceRoutingKey = sourceRoutingKey;
  }
}
