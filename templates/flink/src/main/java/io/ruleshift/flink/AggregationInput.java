package io.ruleshift.flink;

/** An event reduced to what a window aggregation needs, plus its original bytes for "late". */
public class AggregationInput implements KeyLimit.Limited, EventTimeWatermarks.Timestamped {
  /** Group-by value as JSON text ({@link KeyText}), "null" without group-by. */
  public String key;
  public long timestamp;
  public double value;
  public byte[] body;
  public int input;
  public String sourceExchange;
  public String sourceRoutingKey;

  public AggregationInput() {}

  DeadLetter late(String detail) {
    DeadLetter dead = new DeadLetter(DeadLetter.LATE, detail, body, sourceExchange, sourceRoutingKey);
    dead.input = input;
    return dead;
  }

  @Override
  public String limitKey() {
    return key;
  }

  @Override
  public long eventTime() {
    return timestamp;
  }

  @Override
  public long limitTime() {
    return timestamp;
  }

  @Override
  public DeadLetter refused(String detail) {
    DeadLetter dead =
        new DeadLetter(DeadLetter.RULE_ERROR, detail, body, sourceExchange, sourceRoutingKey);
    dead.input = input;
    return dead;
  }
}
