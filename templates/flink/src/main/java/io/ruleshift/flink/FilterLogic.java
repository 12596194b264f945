package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.List;

/**
 * The paper's threshold filter: keeps an event when {@code <value at path> <condition>
 * <threshold>} holds. A number threshold needs a JSON number, a string threshold a JSON string
 * (compared by UTF-16 code units, as JavaScript compares strings). Pure: no Flink, no I/O.
 */
public final class FilterLogic implements Serializable {
  private static final long serialVersionUID = 1L;

  public enum Condition {
    GT(">"),
    GE(">="),
    EQ("="),
    LT("<"),
    LE("<=");

    final String symbol;

    Condition(String symbol) {
      this.symbol = symbol;
    }

    static Condition of(String symbol) {
      for (Condition c : values()) if (c.symbol.equals(symbol)) return c;
      throw new IllegalArgumentException(
          "jobProps.condition must be one of > >= = < <=, got " + symbol);
    }

    boolean holds(int comparison) {
      return switch (this) {
        case GT -> comparison > 0;
        case GE -> comparison >= 0;
        case EQ -> comparison == 0;
        case LT -> comparison < 0;
        case LE -> comparison <= 0;
      };
    }
  }

  private final Condition condition;
  private final JsonPath path;
  /** Exactly one of the two is set. */
  private final Double numberThreshold;
  private final String stringThreshold;

  private FilterLogic(Condition condition, JsonPath path, Double number, String string) {
    this.condition = condition;
    this.path = path;
    this.numberThreshold = number;
    this.stringThreshold = string;
  }

  public static FilterLogic fromJobProps(JsonNode props) {
    Condition condition = Condition.of(props.path("condition").asText(null));
    JsonNode threshold = props.get("threshold");
    Double number = null;
    String string = null;
    if (threshold != null && threshold.isNumber()) {
      number = threshold.doubleValue();
    } else if (threshold != null && threshold.isTextual()) {
      string = threshold.textValue();
    } else {
      throw new IllegalArgumentException("jobProps.threshold must be a number or a string");
    }
    return new FilterLogic(condition, fieldPath(props), number, string);
  }

  /** fieldJsonPath is the full path of the compared value; without it, {@code $.<fieldName>}. */
  static JsonPath fieldPath(JsonNode props) {
    JsonNode explicit = props.get("fieldJsonPath");
    if (explicit != null && explicit.isTextual() && !explicit.textValue().isEmpty()) {
      return JsonPath.compile(explicit.textValue(), "jobProps.fieldJsonPath");
    }
    JsonNode name = props.get("fieldName");
    if (name == null || !name.isTextual() || name.textValue().isEmpty()) {
      throw new IllegalArgumentException("jobProps.fieldName is required without fieldJsonPath");
    }
    String field = name.textValue();
    String dotted = "$." + field;
    if (JsonPath.validate(dotted) == null && JsonPath.compile(dotted).segments().equals(List.of(field))) {
      return JsonPath.compile(dotted);
    }
    // A name with dots, spaces or brackets is still one key: quote it.
    String quoted = field.replace("\\", "\\\\").replace("'", "\\'");
    return JsonPath.compile("$['" + quoted + "']", "jobProps.fieldName");
  }

  /** True when the event passes; Rejected when the value is missing or of the wrong type. */
  public boolean test(JsonNode event) throws Rejected {
    JsonNode value = path.read(event);
    if (value == null) throw Rejected.missing(path);
    if (numberThreshold != null) {
      if (!value.isNumber()) throw Rejected.wrongType(path, "a number", value);
      double v = value.doubleValue();
      // JavaScript semantics: every comparison with NaN is false; -0 equals 0.
      if (Double.isNaN(v) || Double.isNaN(numberThreshold)) return false;
      return condition.holds(v < numberThreshold ? -1 : v > numberThreshold ? 1 : 0);
    }
    if (!value.isTextual()) throw Rejected.wrongType(path, "a string", value);
    return condition.holds(Integer.signum(value.textValue().compareTo(stringThreshold)));
  }

  public JsonPath path() {
    return path;
  }
}
