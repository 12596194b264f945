package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Structural JSON equality as JavaScript sees parsed JSON: numbers by value (Jackson keeps 3 and
 * 3.0 as different node types), objects regardless of key order, arrays in order.
 */
final class JsonValues {
  private JsonValues() {}

  static boolean same(JsonNode a, JsonNode b) {
    if (a == b) return true;
    if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue()) == 0;
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) return false;
      for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode other = b.get(field.getKey());
        if (other == null || !same(field.getValue(), other)) return false;
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) return false;
      for (int i = 0; i < a.size(); i++) if (!same(a.get(i), b.get(i))) return false;
      return true;
    }
    return a.equals(b);
  }
}
