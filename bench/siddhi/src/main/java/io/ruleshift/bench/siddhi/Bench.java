package io.ruleshift.bench.siddhi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One benchmark: a Siddhi app equivalent to a ruleshift template with the given jobProps. */
interface Bench {
  String siddhiApp();

  /** Input stream names; line i of the input goes to streams()[streamOf(i)]. One input: "In". */
  default String[] streams() {
    return new String[] {"In"};
  }

  default int streamOf(long lineIndex) {
    return 0;
  }

  default String outputStream() {
    return "Out";
  }

  /** Serialises one output event (Siddhi attribute array) to the template's output JSON. */
  String toJson(Object[] data, ObjectMapper mapper) throws Exception;

  /** The canonical checksum line of one output JSON. */
  String canonicalLine(JsonNode output);

  /**
   * Event-time batch windows only close when a later event arrives; ruleshift closes them at the
   * end of input. This sentinel (far in the future, its own window never closes) is Siddhi's end
   * of input. Null when the app needs none.
   */
  Object[] endOfInput(long lastTs);

  /** windowStart, windowEnd and key of a window output whose attributes start (start, key). */
  static ObjectNode windowOutput(Object[] data, long sizeMs, ObjectMapper mapper) {
    long windowStart = (Long) data[0];
    ObjectNode out = mapper.createObjectNode();
    out.put("windowStart", windowStart);
    out.put("windowEnd", windowStart + sizeMs);
    out.put("key", (String) data[1]);
    return out;
  }
}
