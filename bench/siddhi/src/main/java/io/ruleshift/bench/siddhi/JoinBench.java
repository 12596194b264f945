package io.ruleshift.bench.siddhi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The `window-join` template: left (even lines) and right (odd lines) joined on deviceId within
 * epoch-aligned tumbling event-time windows, each arriving event paired at once with every
 * buffered event of the other side. Siddhi's batch windows only release events when the batch
 * closes, so this uses sliding externalTime windows of the window size (which retain every
 * event of the current tumbling window for in-order input) plus equality of the tumbling
 * window start: the same pairs, emitted on arrival like ruleshift's. With "partitioned" the join
 * runs in a partition by key (Siddhi's own way to key state), which scans only the key's events
 * instead of the whole window: same pairs, several times faster on Siddhi.
 */
final class JoinBench implements Bench {
  private final long sizeMs;
  private final boolean partitioned;

  JoinBench(JsonNode params) {
    this.sizeMs = params.get("windowSizeMs").asLong();
    this.partitioned = params.path("partitioned").asBoolean(false);
  }

  @Override
  public String siddhiApp() {
    String size = sizeMs + "L";
    String join = "from L#window.externalTime(ts, " + size + ") as l join R#window.externalTime(ts, "
        + size + ") as r on l.deviceId == r.deviceId and (l.ts - l.ts % " + size
        + ") == (r.ts - r.ts % " + size + ")\n"
        + "select l.ts - l.ts % " + size + " as windowStart, " + SensorEvent.qualifiedSelect("l")
        + ", " + SensorEvent.qualifiedSelect("r") + "\ninsert into Out;";
    String streams = "define stream L (" + SensorEvent.ATTRIBUTES + ");\n"
        + "define stream R (" + SensorEvent.ATTRIBUTES + ");\n";
    if (!partitioned) return streams + join;
    return streams + "partition with (deviceId of L, deviceId of R) begin\n" + join + "\nend;";
  }

  @Override
  public String[] streams() {
    return new String[] {"L", "R"};
  }

  @Override
  public int streamOf(long lineIndex) {
    return (int) (lineIndex & 1);
  }

  @Override
  public String toJson(Object[] data, ObjectMapper mapper) throws Exception {
    ObjectNode out = Bench.windowOutput(data, sizeMs, mapper);
    SensorEvent.toJson(data, 1, out.putObject("left"));
    SensorEvent.toJson(data, 1 + SensorEvent.WIDTH, out.putObject("right"));
    return mapper.writeValueAsString(out);
  }

  @Override
  public String canonicalLine(JsonNode output) {
    return output.get("windowStart").asLong() + "|" + output.get("left").get("seq").asLong() + "|"
        + output.get("right").get("seq").asLong();
  }

  @Override
  public Object[] endOfInput(long lastTs) {
    return null;
  }
}
