package io.ruleshift.bench.siddhi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One benchmark: a Siddhi app equivalent to a ruleshift template with the given jobProps. */
interface Bench {
  String siddhiApp();

  /** Input stream names; line i of the input goes to streams()[streamOf(i)]. */
  String[] streams();

  int streamOf(long lineIndex);

  String outputStream();

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
}
