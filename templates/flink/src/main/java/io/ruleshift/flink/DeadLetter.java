package io.ruleshift.flink;

import org.apache.flink.util.OutputTag;

/**
 * An event the rule could not use, published with its ORIGINAL bytes to the dead-letter exchange
 * (routing key = jobId) with the x-ruleshift-* headers, as the edge engine does.
 */
public class DeadLetter {
  /** Side output every job routes bad and late events to. */
  public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

  public static final String NOT_JSON = "not-json";
  public static final String MISSING_FIELD = "missing-field";
  public static final String WRONG_TYPE = "wrong-type";
  public static final String LATE = "late";
  /** business-rules with chain: the event still changed after chainLimit re-evaluations. */
  public static final String CHAIN_LIMIT = "chain-limit";
  public static final String RULE_ERROR = "rule-error";

  public String reason;
  public String detail;
  public byte[] body;
  public String sourceExchange;
  public String sourceRoutingKey;
  /** The input connector the event came from: its broker receives the dead letter. */
  public int input;

  public DeadLetter() {}

  public DeadLetter(
      String reason, String detail, byte[] body, String sourceExchange, String sourceRoutingKey) {
    this.reason = reason;
    this.detail = detail;
    this.body = body;
    this.sourceExchange = sourceExchange;
    this.sourceRoutingKey = sourceRoutingKey;
  }

  public static DeadLetter of(RawEvent event, String reason, String detail) {
    DeadLetter dead =
        new DeadLetter(reason, detail, event.body, event.sourceExchange, event.sourceRoutingKey);
    dead.input = event.input;
    return dead;
  }

  @Override
  public String toString() {
    return "DeadLetter{" + reason + ": " + detail + "}";
  }
}
