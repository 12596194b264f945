package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilterLogicTest {
  private static FilterLogic filter(String propsJson) {
    return FilterLogic.fromJobProps(Json.parse(propsJson));
  }

  private static boolean passes(FilterLogic logic, String eventJson) throws Rejected {
    return logic.test(Json.parse(eventJson));
  }

  @ParameterizedTest
  @CsvSource({
    ">, 21, false", ">, 20, false", ">, 19.5, true",
    ">=, 20, true", ">=, 20.5, false",
    "=, 20, true", "=, 20.0, true", "=, 21, false",
    "<, 21, true", "<, 20, false",
    "<=, 20, true", "<=, 19, false",
  })
  void comparesNumbers(String condition, String threshold, boolean expected) throws Rejected {
    FilterLogic logic =
        filter("{\"condition\":\"" + condition + "\",\"threshold\":" + threshold + ",\"fieldName\":\"t\"}");
    assertEquals(expected, passes(logic, "{\"t\":20}"));
  }

  @Test
  void comparesStringsByUtf16CodeUnits() throws Rejected {
    FilterLogic logic = filter("{\"condition\":\">\",\"threshold\":\"b\",\"fieldName\":\"s\"}");
    assertTrue(passes(logic, "{\"s\":\"c\"}"));
    assertFalse(passes(logic, "{\"s\":\"B\"}")); // uppercase sorts before lowercase
    assertFalse(passes(logic, "{\"s\":\"b\"}"));
    // U+FF5E (one code unit) sorts after U+1F600 (a surrogate pair starting 0xD83D), as in JS.
    FilterLogic emoji = filter("{\"condition\":\">\",\"threshold\":\"\uD83D\uDE00\",\"fieldName\":\"s\"}");
    assertTrue(passes(emoji, "{\"s\":\"\uFF5E\"}"));
  }

  @Test
  void defaultsThePathToFieldName() throws Rejected {
    FilterLogic logic = filter("{\"condition\":\">\",\"threshold\":1,\"fieldName\":\"temperature\"}");
    assertEquals("$.temperature", logic.path().expression());
    assertTrue(passes(logic, "{\"temperature\":2}"));
  }

  @Test
  void fieldJsonPathIsTheFullPath() throws Rejected {
    FilterLogic logic =
        filter("{\"condition\":\"=\",\"threshold\":\"on\",\"fieldName\":\"state\",\"fieldJsonPath\":\"$.d['the state']\"}");
    assertTrue(passes(logic, "{\"d\":{\"the state\":\"on\"}}"));
    assertFalse(passes(logic, "{\"d\":{\"the state\":\"off\"}}"));
  }

  @Test
  void missingValueIsRejectedAsMissingField() {
    FilterLogic logic = filter("{\"condition\":\">\",\"threshold\":1,\"fieldName\":\"t\"}");
    Rejected rejected = assertThrows(Rejected.class, () -> passes(logic, "{\"other\":1}"));
    assertEquals("missing-field", rejected.reason());
  }

  @Test
  void typeMismatchIsRejectedAsWrongType() {
    FilterLogic numeric = filter("{\"condition\":\">\",\"threshold\":1,\"fieldName\":\"t\"}");
    for (String value : new String[] {"\"5\"", "true", "null", "{}", "[1]"}) {
      Rejected rejected = assertThrows(Rejected.class, () -> passes(numeric, "{\"t\":" + value + "}"));
      assertEquals("wrong-type", rejected.reason(), value);
    }
    FilterLogic text = filter("{\"condition\":\">\",\"threshold\":\"a\",\"fieldName\":\"t\"}");
    Rejected rejected = assertThrows(Rejected.class, () -> passes(text, "{\"t\":5}"));
    assertEquals("wrong-type", rejected.reason());
  }

  @Test
  void rejectsBadJobProps() {
    assertThrows(IllegalArgumentException.class,
        () -> filter("{\"condition\":\"!=\",\"threshold\":1,\"fieldName\":\"t\"}"));
    assertThrows(IllegalArgumentException.class,
        () -> filter("{\"condition\":\">\",\"threshold\":true,\"fieldName\":\"t\"}"));
    assertThrows(IllegalArgumentException.class,
        () -> filter("{\"condition\":\">\",\"threshold\":1,\"fieldName\":\"t\",\"fieldJsonPath\":\"$.a[*]\"}"));
  }
}
