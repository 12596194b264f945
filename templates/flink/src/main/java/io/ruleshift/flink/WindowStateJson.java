package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * The entries of the neutral snapshot's {@code state} (docs/snapshot-format.md) to and from the
 * Flink jobs' state objects. Pure: no Flink state access.
 */
final class WindowStateJson {
  private WindowStateJson() {}

  /** {@code {key,start,end,count,sum,min,max}}; min/max null while no value was aggregated. */
  static ObjectNode timeWindow(TimeWindowEntry entry, WindowAggregationProps.Aggregate aggregate) {
    Accumulator acc = entry.accumulator;
    boolean hasValues = aggregate != WindowAggregationProps.Aggregate.COUNT && acc.count > 0;
    ObjectNode out = Json.object();
    out.set("key", KeyText.toJson(entry.key));
    out.put("start", entry.start);
    out.put("end", entry.end);
    out.put("count", acc.count);
    out.set("sum", Json.number(hasValues ? acc.sum : 0));
    if (hasValues) out.set("min", Json.number(acc.min));
    else out.putNull("min");
    if (hasValues) out.set("max", Json.number(acc.max));
    else out.putNull("max");
    return out;
  }

  static TimeWindowEntry timeWindow(JsonNode entry) {
    Accumulator acc = new Accumulator();
    acc.count = entry.path("count").asLong();
    acc.sum = entry.path("sum").asDouble();
    // A "count" aggregation adds 0 for every event (AggregationExtractor): keep it that way.
    acc.min = entry.path("min").isNumber() ? entry.get("min").asDouble() : (acc.count > 0 ? 0 : acc.min);
    acc.max = entry.path("max").isNumber() ? entry.get("max").asDouble() : (acc.count > 0 ? 0 : acc.max);
    return new TimeWindowEntry(
        KeyText.of(entry.get("key")), entry.path("start").asLong(), entry.path("end").asLong(), acc);
  }

  /** {@code {key,seen,elements:[{time,value}]}}; value null for "count", which reads none. */
  static ObjectNode countWindow(
      String key, long seen, List<CountElement> elements, WindowAggregationProps.Aggregate aggregate) {
    ObjectNode out = Json.object();
    out.set("key", KeyText.toJson(key));
    out.put("seen", seen);
    ArrayNode list = out.putArray("elements");
    for (CountElement element : elements) {
      ObjectNode e = list.addObject();
      e.put("time", element.time);
      if (aggregate == WindowAggregationProps.Aggregate.COUNT) e.putNull("value");
      else e.set("value", Json.number(element.value));
    }
    return out;
  }

  static List<CountElement> countElements(JsonNode entry) {
    List<CountElement> elements = new ArrayList<>();
    for (JsonNode e : entry.path("elements")) {
      elements.add(new CountElement(e.path("time").asLong(), e.path("value").isNumber() ? e.get("value").asDouble() : 0));
    }
    return elements;
  }

  /** One entry per open window of the key, in window order; each side in arrival order. */
  static List<ObjectNode> joinWindows(String key, List<JoinInput> buffered, long windowSizeMs) {
    Map<Long, ObjectNode> byStart = new TreeMap<>();
    for (JoinInput event : buffered) {
      long start = TimeWindow.getWindowStartWithOffset(event.timestamp, 0, windowSizeMs);
      ObjectNode entry =
          byStart.computeIfAbsent(
              start,
              s -> {
                ObjectNode w = Json.object();
                w.set("key", KeyText.toJson(key));
                w.put("start", s);
                w.put("end", s + windowSizeMs);
                w.putArray("left");
                w.putArray("right");
                return w;
              });
      ((ArrayNode) entry.get(event.side == 0 ? "left" : "right")).add(Json.parse(new String(event.body, java.nio.charset.StandardCharsets.UTF_8)));
    }
    return new ArrayList<>(byStart.values());
  }

  /** The buffered events of a neutral join entry, left side first; times read as on arrival. */
  static List<JoinInput> joinEvents(JsonNode entry, WindowJoinProps props) throws Rejected {
    List<JoinInput> events = new ArrayList<>();
    String key = KeyText.of(entry.get("key"));
    for (int side = 0; side < 2; side++) {
      for (JsonNode event : entry.path(side == 0 ? "left" : "right")) {
        JoinInput input = new JoinInput();
        input.side = side;
        input.key = key;
        input.timestamp = EventTime.read(side == 0 ? props.leftTimePath() : props.rightTimePath(), event);
        input.body = Json.bytes(event);
        events.add(input);
      }
    }
    return events;
  }
}
