package io.ruleshift.bench.siddhi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The `filter` template: forwards the whole event when temperature > threshold. */
final class FilterBench implements Bench {
  private final double threshold;

  FilterBench(JsonNode params) {
    this.threshold = params.get("threshold").asDouble();
  }

  @Override
  public String siddhiApp() {
    return "define stream In (" + SensorEvent.ATTRIBUTES + ");\n"
        + "from In[temperature > " + threshold + "] select * insert into Out;";
  }

  @Override
  public String toJson(Object[] data, ObjectMapper mapper) throws Exception {
    return mapper.writeValueAsString(SensorEvent.toJson(data, 0, mapper.createObjectNode()));
  }

  @Override
  public String canonicalLine(JsonNode output) {
    return Long.toString(output.get("seq").asLong());
  }

  @Override
  public Object[] endOfInput(long lastTs) {
    return null;
  }
}
