package io.ruleshift.bench.siddhi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The benchmark's sensor event as a Siddhi stream: the JSON line is parsed with Jackson into the
 * attribute array Siddhi takes, and attribute arrays are turned back into JSON objects.
 */
final class SensorEvent {
  static final String ATTRIBUTES =
      "deviceId string, seq long, ts long, temperature double, humidity long, site string,"
          + " firmware string, status string";
  static final String[] NAMES = {
    "deviceId", "seq", "ts", "temperature", "humidity", "site", "firmware", "status"
  };
  static final int WIDTH = NAMES.length;

  private SensorEvent() {}

  static Object[] toAttributes(JsonNode node) {
    return new Object[] {
      node.get("deviceId").asText(),
      node.get("seq").asLong(),
      node.get("ts").asLong(),
      node.get("temperature").asDouble(),
      node.get("humidity").asLong(),
      node.get("site").asText(),
      node.get("firmware").asText(),
      node.get("status").asText(),
    };
  }

  /** Writes WIDTH attributes starting at `from` into `target`. */
  static ObjectNode toJson(Object[] data, int from, ObjectNode target) {
    target.put("deviceId", (String) data[from]);
    target.put("seq", (Long) data[from + 1]);
    target.put("ts", (Long) data[from + 2]);
    target.put("temperature", (Double) data[from + 3]);
    target.put("humidity", (Long) data[from + 4]);
    target.put("site", (String) data[from + 5]);
    target.put("firmware", (String) data[from + 6]);
    target.put("status", (String) data[from + 7]);
    return target;
  }

  /** `prefix.deviceId as prefixdeviceId, ...` for a join's select clause. */
  static String qualifiedSelect(String stream) {
    StringBuilder select = new StringBuilder();
    for (String name : NAMES) {
      if (select.length() > 0) select.append(", ");
      select.append(stream).append('.').append(name).append(" as ").append(stream).append(name);
    }
    return select.toString();
  }
}
