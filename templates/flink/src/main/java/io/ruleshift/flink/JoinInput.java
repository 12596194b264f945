package io.ruleshift.flink;

/** One side's event in a join window: key, time and the original bytes. */
public class JoinInput implements KeyLimit.Limited, EventTimeWatermarks.Timestamped {
  /** 0 = left (first input), 1 = right (secondInput). */
  public int side;
  public String key;
  public long timestamp;
  public byte[] body;
  public String sourceExchange;
  public String sourceRoutingKey;

  public JoinInput() {}

  DeadLetter late(String detail) {
    DeadLetter dead = new DeadLetter(DeadLetter.LATE, detail, body, sourceExchange, sourceRoutingKey);
    dead.input = side;
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
    dead.input = side;
    return dead;
  }
}
