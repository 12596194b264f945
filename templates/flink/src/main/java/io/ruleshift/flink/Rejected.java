package io.ruleshift.flink;

/**
 * Thrown by the pure extraction logic when an event cannot be used; the operator turns it into a
 * dead letter with this reason and detail.
 */
public final class Rejected extends Exception {
  private static final long serialVersionUID = 1L;
  private final String reason;

  public Rejected(String reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }

  public static Rejected missing(JsonPath path) {
    return new Rejected(DeadLetter.MISSING_FIELD, DeadLetterDetail.missing(path));
  }

  public static Rejected wrongType(JsonPath path, String expected, com.fasterxml.jackson.databind.JsonNode found) {
    return new Rejected(DeadLetter.WRONG_TYPE, DeadLetterDetail.wrongType(path, expected, found));
  }

  public static String typeName(com.fasterxml.jackson.databind.JsonNode node) {
    if (node == null) return "nothing";
    return switch (node.getNodeType()) {
      case NUMBER -> "number";
      case STRING -> "string";
      case BOOLEAN -> "boolean";
      case NULL -> "null";
      case ARRAY -> "array";
      case OBJECT -> "object";
      default -> node.getNodeType().name().toLowerCase();
    };
  }
}
