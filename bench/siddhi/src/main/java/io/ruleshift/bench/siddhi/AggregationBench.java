package io.ruleshift.bench.siddhi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The `window-aggregation` template in event time, grouped by deviceId. ruleshift's time windows
 * are epoch-aligned hopping windows [start, start + size) with start a multiple of slide
 * (tumbling: slide = size). Siddhi has no hopping window, so a sliding window of size/slide = n
 * is n externalTimeBatch queries whose batches start at 0, slide, 2*slide, ...: their union is
 * exactly the set of hopping windows, each computed once.
 */
final class AggregationBench implements Bench {
  private final String aggregate;
  private final long sizeMs;
  private final long slideMs;

  AggregationBench(JsonNode params) {
    this.aggregate = params.get("aggregate").asText();
    this.sizeMs = params.get("sizeMs").asLong();
    this.slideMs = params.has("slideMs") ? params.get("slideMs").asLong() : sizeMs;
    if (sizeMs % slideMs != 0) {
      throw new IllegalArgumentException("sizeMs must be a multiple of slideMs");
    }
  }

  @Override
  public String siddhiApp() {
    StringBuilder app = new StringBuilder("define stream In (" + SensorEvent.ATTRIBUTES + ");\n");
    for (long start = 0; start < sizeMs; start += slideMs) {
      // windowStart of the batch holding ts: start + floor((ts - start) / size) * size.
      app.append("from In#window.externalTimeBatch(ts, ").append(sizeMs).append("L, ")
          .append(start).append("L) select ts - ((ts - ").append(start).append("L) % ")
          .append(sizeMs).append("L) as windowStart, deviceId as key, ")
          .append(siddhiFunction()).append("(temperature) as value, count() as cnt")
          .append(" group by deviceId insert into Out;\n");
    }
    return app.toString();
  }

  private String siddhiFunction() {
    switch (aggregate) {
      case "sum": case "avg": case "min": case "max": return aggregate;
      default: throw new IllegalArgumentException("unsupported aggregate " + aggregate);
    }
  }

  @Override
  public String toJson(Object[] data, ObjectMapper mapper) throws Exception {
    ObjectNode out = Bench.windowOutput(data, sizeMs, mapper);
    out.put("aggregate", aggregate);
    out.put("value", ((Number) data[2]).doubleValue());
    out.put("count", (Long) data[3]);
    return mapper.writeValueAsString(out);
  }

  @Override
  public String canonicalLine(JsonNode output) {
    return output.get("windowStart").asLong() + "|" + output.get("key").asText() + "|"
        + Canonical.fixed6(output.get("value").asDouble()) + "|" + output.get("count").asLong();
  }

  @Override
  public Object[] endOfInput(long lastTs) {
    return new Object[] {"__end_of_input__", -1L, lastTs + 10 * sizeMs, 0.0, 0L, "", "", ""};
  }
}
