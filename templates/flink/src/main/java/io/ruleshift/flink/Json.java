package io.ruleshift.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** One shared, thread-safe mapper and the JSON helpers every job uses. */
public final class Json {
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          // JSON.parse on the edge rejects trailing garbage too: "1 2" is not JSON.
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  /** Parses an event body; throws NotJson on anything JSON.parse would reject. */
  public static JsonNode parse(byte[] body) throws NotJson {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) throw new NotJson("empty body");
      return node;
    } catch (JsonProcessingException e) {
      throw new NotJson(e.getOriginalMessage());
    } catch (IOException e) {
      throw new NotJson(e.toString());
    }
  }

  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(JsonNode node) {
    return new String(bytes(node), StandardCharsets.UTF_8);
  }

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /**
   * A JSON number the way JavaScript writes it: integral values without a fraction, so a sum of
   * 1 and 2 is {@code 3} on both engines, not {@code 3.0}.
   */
  public static JsonNode number(double value) {
    if (Double.isFinite(value) && value == Math.rint(value) && Math.abs(value) < 9.007199254740992E15) {
      return JsonNodeFactory.instance.numberNode((long) value);
    }
    if (!Double.isFinite(value)) return JsonNodeFactory.instance.nullNode(); // JSON.stringify
    return JsonNodeFactory.instance.numberNode(value);
  }

  /** The body is not JSON; the message says why (a dead letter detail). */
  public static final class NotJson extends Exception {
    private static final long serialVersionUID = 1L;

    public NotJson(String message) {
      super(message);
    }
  }
}
