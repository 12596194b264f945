package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;

/** window-aggregation jobProps, checked once when the job graph is built. */
public record WindowAggregationProps(
    Aggregate aggregate,
    JsonPath valuePath,
    WindowKind kind,
    boolean eventTime,
    long sizeMs,
    long slideMs,
    long size,
    long slide,
    JsonPath timePath,
    JsonPath groupByPath,
    long maxOutOfOrdernessMs,
    long allowedLatenessMs,
    long maxKeys)
    implements Serializable {

  /** The edge engine's default (libs/engine windows/key-registry.ts, the manifest's default). */
  public static final long DEFAULT_MAX_KEYS = 100_000;

  public enum Aggregate {
    COUNT, SUM, AVG, MIN, MAX;

    public String jsonName() {
      return name().toLowerCase();
    }
  }

  public enum WindowKind {
    TUMBLING, SLIDING, COUNT
  }

  public static WindowAggregationProps parse(JsonNode props) {
    Aggregate aggregate = Aggregate.valueOf(enumText(props, "aggregate", "count sum avg min max"));
    JsonPath valuePath = aggregate == Aggregate.COUNT ? optionalPath(props, "fieldJsonPath")
        : requiredPath(props, "fieldJsonPath");
    JsonNode window = props.path("window");
    if (!window.isObject()) throw new IllegalArgumentException("jobProps.window is required");
    WindowKind kind = WindowKind.valueOf(enumText(window, "kind", "tumbling sliding count"));
    String time = window.path("time").asText("event");
    if (!time.equals("event") && !time.equals("processing")) {
      throw new IllegalArgumentException("jobProps.window.time must be event or processing");
    }
    boolean eventTime = time.equals("event");
    long sizeMs = 0, slideMs = 0, size = 0, slide = 0;
    if (kind == WindowKind.COUNT) {
      size = positive(window, "size");
      slide = window.has("slide") ? positive(window, "slide") : size;
    } else {
      sizeMs = positive(window, "sizeMs");
      slideMs = kind == WindowKind.SLIDING ? positive(window, "slideMs") : sizeMs;
    }
    JsonPath timePath = eventTime && kind != WindowKind.COUNT
        ? requiredPath(props, "timeFieldJsonPath") : optionalPath(props, "timeFieldJsonPath");
    return new WindowAggregationProps(
        aggregate,
        valuePath,
        kind,
        eventTime,
        sizeMs,
        slideMs,
        size,
        slide,
        timePath,
        optionalPath(props, "groupByJsonPath"),
        nonNegative(props, "maxOutOfOrdernessMs"),
        nonNegative(props, "allowedLatenessMs"),
        maxKeys(props));
  }

  /** {@code maxKeys}, else the edge's default (both window templates). */
  static long maxKeys(JsonNode props) {
    JsonNode value = props.get("maxKeys");
    return value == null || value.isNull() ? DEFAULT_MAX_KEYS : positive(props, "maxKeys");
  }

  static String enumText(JsonNode node, String field, String allowed) {
    JsonNode value = node.get(field);
    String text = value != null && value.isTextual() ? value.textValue() : "";
    for (String option : allowed.split(" ")) if (option.equals(text)) return text.toUpperCase();
    throw new IllegalArgumentException("jobProps." + field + " must be one of " + allowed);
  }

  static JsonPath requiredPath(JsonNode props, String field) {
    JsonPath path = optionalPath(props, field);
    if (path == null) throw new IllegalArgumentException("jobProps." + field + " is required");
    return path;
  }

  static JsonPath optionalPath(JsonNode props, String field) {
    JsonNode value = props.get(field);
    if (value == null || value.isNull()) return null;
    if (!value.isTextual()) throw new IllegalArgumentException("jobProps." + field + " must be a string");
    return JsonPath.compile(value.textValue(), "jobProps." + field);
  }

  static long positive(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToExactIntegral() || value.longValue() <= 0) {
      throw new IllegalArgumentException("jobProps." + field + " must be a positive integer");
    }
    return value.longValue();
  }

  static long nonNegative(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) return 0;
    if (!value.canConvertToExactIntegral() || value.longValue() < 0) {
      throw new IllegalArgumentException("jobProps." + field + " must be an integer >= 0");
    }
    return value.longValue();
  }
}
