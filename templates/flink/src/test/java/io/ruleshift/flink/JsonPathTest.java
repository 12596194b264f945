package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The same cases as the edge engine's json-path.spec.ts: one subset, two engines. */
class JsonPathTest {
  private static final JsonNode DOC =
      Json.parse(
          "{\"a\":{\"b\":1,\"a b\":\"spaced\",\"list\":[10,[20,21],{\"x\":\"deep\"}]},"
              + "\"temperature\":21.5,\"température\":\"accent\",\"日本\":{\"キー\":42},"
              + "\"zero\":0,\"nil\":null}");

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "$.temperature | 21.5",
        "$.a.b | 1",
        "$['a']['a b'] | \"spaced\"",
        "$.a[\"a b\"] | \"spaced\"",
        "$.a.list[0] | 10",
        "$.a.list[1][1] | 21",
        "$.a.list[2].x | \"deep\"",
        "$.a[\"list\"][2][\"x\"] | \"deep\"",
        "$.température | \"accent\"",
        "$.日本.キー | 42",
        "$['日本']['キー'] | 42",
        "$.zero | 0",
        "$.nil | null",
      })
  void readsTheValue(String path, String expectedJson) {
    assertEquals(Json.parse(expectedJson), JsonPath.compile(path).read(DOC));
  }

  @Test
  void dollarIsTheWholeDocument() {
    assertEquals(DOC, JsonPath.compile("$").read(DOC));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "$.missing", "$.a.missing", "$.a.b.c", "$.a.list[3]", "$.a.list[1][5]", "$.nil.x",
        "$.temperature[0]", "$.a[0]", "$.a.list.length", "$.a.list[\"0\"]"
      })
  void isNullWhenAbsent(String path) {
    assertNull(JsonPath.compile(path).read(DOC));
  }

  @Test
  void primitivesHaveNoChildren() {
    JsonPath path = JsonPath.compile("$.a");
    assertNull(path.read(Json.parse("5")));
    assertNull(path.read(Json.parse("\"a\"")));
    assertNull(path.read(Json.parse("null")));
    assertNull(path.read(null));
  }

  @Test
  void decodesEscapesInQuotedKeys() {
    JsonNode value = Json.parse("{\"it's\":1,\"q\\\"q\":2,\"a\\\\b\":3,\"é\":4,\"tab\\t\":5,\"a.b[0]\":6}");
    assertEquals(1, JsonPath.compile("$['it\\'s']").read(value).intValue());
    assertEquals(2, JsonPath.compile("$[\"q\\\"q\"]").read(value).intValue());
    assertEquals(3, JsonPath.compile("$['a\\\\b']").read(value).intValue());
    assertEquals(4, JsonPath.compile("$['\\u00e9']").read(value).intValue());
    assertEquals(5, JsonPath.compile("$[\"tab\\t\"]").read(value).intValue());
    assertEquals(6, JsonPath.compile("$['a.b[0]']").read(value).intValue());
  }

  @Test
  void parsesIntoSegments() {
    assertEquals(List.of("a", "b c", 3, "d"), JsonPath.compile("$.a[\"b c\"][3].d").segments());
    assertEquals(List.of(), JsonPath.compile("$").segments());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "`` | must start with '$'",
        "a.b | must start with '$'",
        "` $.a` | must start with '$'",
        "$. | expected a key after '.'",
        "$.a. | expected a key after '.'",
        "$..a | recursive descent",
        "$.a[ | unterminated '['",
        "$.a[] | non-negative array index",
        "$.a[-1] | non-negative array index",
        "$.a[01] | non-negative array index",
        "$.a[1.5] | non-negative array index",
        "$.a[ 1 ] | non-negative array index",
        "$.a[*] | wildcard",
        "$.* | expected a key after '.'",
        "$['a | unterminated quoted key",
        "$['a' | expected ']'",
        "$['a\\x'] | bad escape",
        "$['\\u12'] | bad \\u escape",
        "$a | unexpected 'a'",
        "$.a b | unexpected ' '",
        "$.a] | unexpected ']'",
        "$.a[99999999999999999999] | too large",
      })
  void rejectsMalformedPaths(String path, String reason) {
    String why = JsonPath.validate(path);
    assertTrue(why != null && why.contains(reason), path + " -> " + why);
    JsonPath.InvalidJsonPathException error =
        assertThrows(
            JsonPath.InvalidJsonPathException.class,
            () -> JsonPath.compile(path, "jobProps.fieldJsonPath"));
    assertEquals("jobProps.fieldJsonPath", error.field());
    assertTrue(error.getMessage().contains(reason));
  }

  @Test
  void acceptsValidPaths() {
    assertNull(JsonPath.validate("$.a[0][\"b\"]"));
  }
}
