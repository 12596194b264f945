package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Group-by and join keys travel as JSON text so any JSON value can be a key. Numbers are written
 * the JavaScript way first, so 1 and 1.0 are the same key on both engines.
 */
public final class KeyText {
  public static final String NULL = "null";

  private KeyText() {}

  public static String of(JsonNode value) {
    if (value == null || value.isNull()) return NULL;
    if (value.isNumber()) return Json.text(Json.number(value.doubleValue()));
    return Json.text(value);
  }

  public static JsonNode toJson(String keyText) {
    return Json.parse(keyText);
  }
}
