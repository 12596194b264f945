package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The business-rules template (jobProps as in ../business-rules/manifest.json, resolved by the
 * adapter: no defaults here), with the edge engine's semantics (libs/engine/src/business-rules):
 * rules in descending priority then list order; a matching rule's actions apply in order until
 * stop or drop; with chain, a rule that left the event different restarts from the first rule,
 * at most chainLimit times. Dead-letter details are the edge engine's text. Pure: no Flink, no
 * I/O; built from the jobProps once per task (not serialised).
 */
public final class BusinessRulesLogic {
  private static final Set<String> ORDERING = Set.of(">", ">=", "<", "<=");

  /** What one event became: its bytes and routing key (null: the connector's), or dropped. */
  public record Result(byte[] body, String routingKey) {}

  @FunctionalInterface
  interface Condition {
    boolean test(JsonNode event) throws Rejected;
  }

  @FunctionalInterface
  interface Action {
    /** True when it changed the event. */
    boolean apply(Evaluation evaluation) throws Rejected;
  }

  record Rule(String name, long priority, int index, Condition when, List<Action> then) {}

  static final class Evaluation {
    JsonNode event;
    boolean owned;
    String routingKey;
    boolean dropped;
    boolean stopped;
    boolean modified;

    /** The event to write to, copied on the first write (the input is never modified). */
    JsonNode own() {
      if (!owned) {
        event = event.deepCopy();
        owned = true;
      }
      return event;
    }
  }

  private final List<Rule> rules;
  private final boolean chain;
  private final int chainLimit;
  private final boolean dropUnmatched;

  private BusinessRulesLogic(List<Rule> rules, boolean chain, int chainLimit, boolean dropUnmatched) {
    this.rules = rules;
    this.chain = chain;
    this.chainLimit = chainLimit;
    this.dropUnmatched = dropUnmatched;
  }

  public static BusinessRulesLogic fromJobProps(JsonNode props) {
    JsonNode rulesNode = props.path("rules");
    if (!rulesNode.isArray() || rulesNode.isEmpty()) {
      throw new IllegalArgumentException("jobProps.rules must be a non-empty array");
    }
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < rulesNode.size(); i++) {
      JsonNode rule = rulesNode.get(i);
      String field = "jobProps.rules[" + i + "]";
      String name = text(rule.get("name"), field + ".name");
      JsonNode priority = rule.get("priority");
      if (priority == null || !priority.canConvertToLong() || !priority.isIntegralNumber()) {
        throw new IllegalArgumentException(field + ".priority must be an integer");
      }
      JsonNode then = rule.get("then");
      if (then == null || !then.isArray()) {
        throw new IllegalArgumentException(field + ".then must be an array");
      }
      List<Action> actions = new ArrayList<>();
      for (int j = 0; j < then.size(); j++) {
        actions.add(action(then.get(j), name, field + ".then[" + j + "]"));
      }
      rules.add(
          new Rule(
              name,
              priority.longValue(),
              i,
              condition(rule.get("when"), name, field + ".when"),
              List.copyOf(actions)));
    }
    rules.sort(
        Comparator.comparingLong(Rule::priority).reversed().thenComparingInt(Rule::index));
    JsonNode chain = props.get("chain");
    JsonNode limit = props.get("chainLimit");
    JsonNode onNoMatch = props.get("onNoMatch");
    if (chain == null || !chain.isBoolean()) {
      throw new IllegalArgumentException("jobProps.chain must be a boolean");
    }
    if (limit == null || !limit.isIntegralNumber() || limit.asInt() < 1) {
      throw new IllegalArgumentException("jobProps.chainLimit must be a positive integer");
    }
    String noMatch = onNoMatch == null ? null : onNoMatch.asText(null);
    if (!"forward".equals(noMatch) && !"drop".equals(noMatch)) {
      throw new IllegalArgumentException("jobProps.onNoMatch must be one of forward, drop");
    }
    return new BusinessRulesLogic(
        List.copyOf(rules), chain.booleanValue(), limit.asInt(), "drop".equals(noMatch));
  }

  /** What the event becomes, or null when it is dropped; Rejected when a rule cannot evaluate. */
  public Result evaluate(byte[] body, JsonNode input) throws Rejected {
    Evaluation run = new Evaluation();
    run.event = input;
    boolean matched = false;
    int passes = 0;
    for (int i = 0; i < rules.size(); ) {
      Rule rule = rules.get(i);
      if (!rule.when().test(run.event)) {
        i++;
        continue;
      }
      matched = true;
      // Before the first write run.event is the input itself, which writes never touch.
      JsonNode before = chain && run.owned ? run.event.deepCopy() : run.event;
      boolean changed = false;
      for (Action action : rule.then()) {
        if (action.apply(run)) changed = true;
        if (run.stopped) break;
      }
      if (changed) run.modified = true;
      if (run.stopped) break;
      if (chain && !JsonValues.same(before, run.event)) {
        if (++passes > chainLimit) {
          throw new Rejected(
              DeadLetter.CHAIN_LIMIT,
              "rule "
                  + rule.name()
                  + ": the event still changes after "
                  + chainLimit
                  + " re-evaluations (chainLimit)");
        }
        i = 0;
      } else {
        i++;
      }
    }
    if (run.dropped || (!matched && dropUnmatched)) return null;
    return new Result(run.modified ? Json.bytes(run.event) : body, run.routingKey);
  }

  // ---- conditions

  private static Condition condition(JsonNode node, String rule, String field) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(field + " must be a condition object");
    }
    if (node.has("all") || node.has("any")) {
      boolean all = node.has("all");
      JsonNode list = node.get(all ? "all" : "any");
      if (!list.isArray() || list.isEmpty()) {
        throw new IllegalArgumentException(field + " needs a non-empty list");
      }
      List<Condition> parts = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        parts.add(condition(list.get(i), rule, field + (all ? ".all[" : ".any[") + i + "]"));
      }
      return all
          ? event -> {
            for (Condition part : parts) if (!part.test(event)) return false;
            return true;
          }
          : event -> {
            for (Condition part : parts) if (part.test(event)) return true;
            return false;
          };
    }
    if (node.has("not")) {
      Condition inner = condition(node.get("not"), rule, field + ".not");
      return event -> !inner.test(event);
    }
    String pathText = text(node.get("path"), field + ".path");
    JsonPath path = JsonPath.compile(pathText, field + ".path");
    String op = text(node.get("op"), field + ".op");
    if (op.equals("exists")) return event -> path.read(event) != null;
    JsonNode expected = node.get("value");
    if (expected == null) throw new IllegalArgumentException(field + ".value is required");
    ValueTest test = valueTest(op, expected, rule, pathText, field);
    return event -> {
      JsonNode actual = path.read(event);
      if (actual == null) throw missing(rule, pathText);
      return test.test(actual);
    };
  }

  @FunctionalInterface
  interface ValueTest {
    boolean test(JsonNode actual) throws Rejected;
  }

  private static ValueTest valueTest(
      String op, JsonNode expected, String rule, String path, String field) {
    switch (op) {
      case "=":
        return actual -> JsonValues.same(actual, expected);
      case "!=":
        return actual -> !JsonValues.same(actual, expected);
      case "in":
        if (!expected.isArray()) throw new IllegalArgumentException(field + ".value must be a list");
        return actual -> {
          for (JsonNode item : expected) if (JsonValues.same(actual, item)) return true;
          return false;
        };
      case "contains":
        return actual -> {
          if (actual.isArray()) {
            for (JsonNode item : actual) if (JsonValues.same(item, expected)) return true;
            return false;
          }
          if (!actual.isTextual()) {
            throw wrongType(rule, path, actual, "contains needs a string or an array");
          }
          if (!expected.isTextual()) {
            throw wrongType(rule, path, actual, "contains needs a string value for it");
          }
          return actual.textValue().contains(expected.textValue());
        };
      case "matches":
        {
          if (!expected.isTextual()) {
            throw new IllegalArgumentException(field + ".value must be a regular expression");
          }
          Pattern pattern;
          try {
            pattern = Pattern.compile(expected.textValue());
          } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(field + ".value: " + e.getMessage(), e);
          }
          return actual -> {
            if (!actual.isTextual()) throw wrongType(rule, path, actual, "matches needs a string");
            return pattern.matcher(actual.textValue()).find();
          };
        }
      default:
        if (!ORDERING.contains(op)) {
          throw new IllegalArgumentException(
              field + ".op must be one of = != > >= < <= in contains exists matches");
        }
        return ordering(op, expected, rule, path, field);
    }
  }

  private static ValueTest ordering(
      String op, JsonNode expected, String rule, String path, String field) {
    String needs = op + (expected.isNumber() ? " needs a number" : " needs a string");
    if (expected.isNumber()) {
      double threshold = expected.doubleValue();
      return actual -> {
        if (!actual.isNumber()) throw wrongType(rule, path, actual, needs);
        double v = actual.doubleValue();
        return holds(op, Double.compare(v == 0.0 ? 0.0 : v, threshold == 0.0 ? 0.0 : threshold));
      };
    }
    if (!expected.isTextual()) {
      throw new IllegalArgumentException(field + ".value must be a number or a string");
    }
    String threshold = expected.textValue();
    return actual -> {
      if (!actual.isTextual()) throw wrongType(rule, path, actual, needs);
      return holds(op, actual.textValue().compareTo(threshold));
    };
  }

  private static boolean holds(String op, int comparison) {
    return switch (op) {
      case ">" -> comparison > 0;
      case ">=" -> comparison >= 0;
      case "<" -> comparison < 0;
      default -> comparison <= 0;
    };
  }

  // ---- actions

  private static Action action(JsonNode node, String rule, String field) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(field + " must be an action object");
    }
    if (node.has("set")) {
      String target = text(node.get("set"), field + ".set");
      List<String> keys = keysOf(target, field + ".set");
      if (node.has("from")) {
        String fromText = text(node.get("from"), field + ".from");
        JsonPath from = JsonPath.compile(fromText, field + ".from");
        return run -> {
          JsonNode value = from.read(run.event);
          if (value == null) throw missing(rule, fromText);
          return set(run.own(), keys, value.deepCopy(), rule, target);
        };
      }
      JsonNode value = node.get("value");
      if (value == null) throw new IllegalArgumentException(field + " needs value or from");
      return run -> set(run.own(), keys, value.deepCopy(), rule, target);
    }
    if (node.has("remove")) {
      List<String> keys = keysOf(text(node.get("remove"), field + ".remove"), field + ".remove");
      return run -> remove(run.own(), keys);
    }
    if (node.has("tag")) {
      String tag = text(node.get("tag"), field + ".tag");
      return run -> addTag(run.own(), tag, rule);
    }
    if (node.has("route")) {
      String key = text(node.get("route"), field + ".route");
      return run -> {
        run.routingKey = key;
        return false;
      };
    }
    if (node.has("drop")) {
      return run -> {
        run.dropped = true;
        run.stopped = true;
        return false;
      };
    }
    if (node.has("stop")) {
      return run -> {
        run.stopped = true;
        return false;
      };
    }
    throw new IllegalArgumentException(
        field + " must have one of set, remove, tag, route, drop, stop");
  }

  private static List<String> keysOf(String path, String field) {
    List<String> keys = new ArrayList<>();
    for (Object segment : JsonPath.compile(path, field).segments()) {
      if (!(segment instanceof String key)) {
        throw new IllegalArgumentException(field + " must name object keys (no [index])");
      }
      keys.add(key);
    }
    if (keys.isEmpty()) throw new IllegalArgumentException(field + " must not be $ itself");
    return List.copyOf(keys);
  }

  private static boolean set(
      JsonNode event, List<String> keys, JsonNode value, String rule, String path)
      throws Rejected {
    boolean changed = false;
    JsonNode current = event;
    for (int i = 0; i < keys.size() - 1; i++) {
      if (!current.isObject()) throw notAnObjectAt(rule, path);
      ObjectNode object = (ObjectNode) current;
      if (!object.has(keys.get(i))) {
        object.set(keys.get(i), JsonNodeFactory.instance.objectNode());
        changed = true;
      }
      current = object.get(keys.get(i));
    }
    if (!current.isObject()) throw notAnObjectAt(rule, path);
    ObjectNode parent = (ObjectNode) current;
    String last = keys.get(keys.size() - 1);
    JsonNode old = parent.get(last);
    if (old != null && JsonValues.same(old, value)) return changed;
    parent.set(last, value);
    return true;
  }

  private static boolean remove(JsonNode event, List<String> keys) {
    JsonNode current = event;
    for (int i = 0; i < keys.size() - 1; i++) {
      if (!current.isObject() || !current.has(keys.get(i))) return false;
      current = current.get(keys.get(i));
    }
    String last = keys.get(keys.size() - 1);
    if (!current.isObject() || !current.has(last)) return false;
    ((ObjectNode) current).remove(last);
    return true;
  }

  private static boolean addTag(JsonNode event, String tag, String rule) throws Rejected {
    if (!event.isObject()) throw notAnObjectAt(rule, "$.tags");
    ObjectNode root = (ObjectNode) event;
    JsonNode tags = root.get("tags");
    if (tags == null) {
      root.set("tags", JsonNodeFactory.instance.arrayNode().add(tag));
      return true;
    }
    if (!tags.isArray()) throw wrongType(rule, "$.tags", tags, "tag needs an array");
    for (JsonNode existing : tags) {
      if (existing.isTextual() && existing.textValue().equals(tag)) return false;
    }
    ((ArrayNode) tags).add(tag);
    return true;
  }

  // ---- dead-letter details, the edge engine's text (libs/engine rule-rejection.ts)

  private static Rejected missing(String rule, String path) {
    return new Rejected(DeadLetter.MISSING_FIELD, "rule " + rule + ": no value at " + path);
  }

  private static Rejected wrongType(String rule, String path, JsonNode found, String needs) {
    return new Rejected(
        DeadLetter.WRONG_TYPE, "rule " + rule + ": " + path + " is " + describe(found) + ", " + needs);
  }

  private static Rejected notAnObjectAt(String rule, String path) {
    return new Rejected(
        DeadLetter.WRONG_TYPE,
        "rule " + rule + ": cannot set " + path + ", its parent is not an object");
  }

  /** As the edge engine names a JSON type: a number, a string, a boolean, null, an array, an object. */
  static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case NULL -> "null";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      default -> "a string";
    };
  }

  private static String text(JsonNode node, String field) {
    if (node == null || !node.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    return node.textValue();
  }
}
