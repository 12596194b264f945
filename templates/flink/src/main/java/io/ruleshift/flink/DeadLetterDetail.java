package io.ruleshift.flink;

/**
 * The {@code x-ruleshift-detail} text of each dead letter, word for word the same as the edge
 * engine's (libs/engine/src/operators/dead-letter-detail.ts): the shared vectors compare it
 * exactly on both engines, so it says only what both know (a JSON parser's own message, or the
 * watermark at a late event, differs between them).
 */
public final class DeadLetterDetail {
  public static final String NOT_JSON = "the body is not valid JSON";
  public static final String TIMESTAMP_TYPE = "a ms-epoch number or an ISO-8601 date-time with zone";

  private DeadLetterDetail() {}

  public static String missing(JsonPath path) {
    return "no value at " + path.expression();
  }

  public static String wrongType(JsonPath path, String expected, com.fasterxml.jackson.databind.JsonNode found) {
    return path.expression() + " must be " + expected + ", found " + Rejected.typeName(found);
  }

  /** A window aggregation's event none of whose windows is open any more. */
  public static String late(long time, long allowedLatenessMs) {
    return "event time " + time + " is behind the watermark by more than allowedLatenessMs "
        + allowedLatenessMs;
  }

  /** A window join's event whose tumbling window the watermark has closed. */
  public static String lateJoin(long time, long start, long end) {
    return "event time " + time + " is in window [" + start + "," + end
        + ") that the watermark already closed";
  }

  /** An event of a new key while {@code maxKeys} keys hold state. */
  public static String stateLimit(long maxKeys) {
    return "state limit: " + maxKeys + " keys (maxKeys) hold state";
  }
}
