package io.ruleshift.flink;

/** One side's event in a join window: key, time and the original bytes. */
public class JoinInput {
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
}
