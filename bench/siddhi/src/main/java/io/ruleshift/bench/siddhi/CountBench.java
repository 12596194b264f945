package io.ruleshift.bench.siddhi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The `window-aggregation` template with tumbling count windows per deviceId: every `size`
 * consecutive events of a key make one window, whose windowStart and windowEnd are the smallest
 * and largest event time in it. Siddhi's lengthBatch counts all events of its stream, so the
 * query runs in a partition by deviceId (one window per key). An incomplete window fires on
 * neither engine, so there is no end-of-input sentinel.
 */
final class CountBench implements Bench {
  private final String aggregate;
  private final long size;

  CountBench(JsonNode params) {
    this.aggregate = params.get("aggregate").asText();
    this.size = params.get("size").asLong();
  }

  @Override
  public String siddhiApp() {
    return "define stream In (" + SensorEvent.ATTRIBUTES + ");\n"
        + "partition with (deviceId of In) begin\n"
        + "from In#window.lengthBatch(" + size + ") select min(ts) as windowStart, max(ts) as"
        + " windowEnd, deviceId as key, " + aggregate + "(temperature) as value, count() as cnt"
        + " insert into Out;\nend;";
  }

  @Override
  public String toJson(Object[] data, ObjectMapper mapper) throws Exception {
    ObjectNode out = mapper.createObjectNode();
    out.put("windowStart", (Long) data[0]);
    out.put("windowEnd", (Long) data[1]);
    out.put("key", (String) data[2]);
    out.put("aggregate", aggregate);
    out.put("value", ((Number) data[3]).doubleValue());
    out.put("count", (Long) data[4]);
    return mapper.writeValueAsString(out);
  }

  @Override
  public String canonicalLine(JsonNode output) {
    return output.get("windowStart").asLong() + "|" + output.get("key").asText() + "|"
        + Canonical.fixed6(output.get("value").asDouble()) + "|" + output.get("count").asLong();
  }

  @Override
  public Object[] endOfInput(long lastTs) {
    return null;
  }
}
