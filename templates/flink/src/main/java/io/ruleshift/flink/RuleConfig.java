package io.ruleshift.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule's configuration (libs/contracts RuleConfig): the same JSON the edge agent reads. Only
 * the fields the jobs use are kept; unknown fields are ignored so the contract can grow.
 */
public record RuleConfig(
    String jobId,
    String jobType,
    String templateVersion,
    Connectors connectors,
    ObjectNode jobProps,
    String deadLetterExchange,
    int parallelism)
    implements Serializable {

  public static final String DEFAULT_DEAD_LETTER_EXCHANGE = "ruleshift.dlx";

  /**
   * One input: the paper's flat input fields are input #0, secondInput is #1. {@code queues} are
   * the input's partitions in partition order ({@code connectors.inputQueues}), or its one queue.
   */
  public record Input(String endpoint, String exchange, List<String> queues, String routingKey)
      implements Serializable {
    public Input {
      queues = List.copyOf(queues);
    }

    public Input(String endpoint, String exchange, String queue, String routingKey) {
      this(endpoint, exchange, List.of(queue), routingKey);
    }
  }

  public record Output(String endpoint, String exchange, String routingKey)
      implements Serializable {}

  public record Connectors(List<Input> inputs, Output output, Integer prefetch)
      implements Serializable {}

  public static RuleConfig parse(String json) {
    JsonNode root = Json.parse(json);
    if (!root.isObject()) throw new IllegalArgumentException("RuleConfig must be a JSON object");
    JsonNode c = root.path("connectors");
    if (!c.isObject()) throw new IllegalArgumentException("RuleConfig.connectors is required");
    List<Input> inputs = new ArrayList<>();
    inputs.add(
        new Input(
            required(c, "inputEndpoint", "connectors"),
            required(c, "inputExchange", "connectors"),
            c.hasNonNull("inputQueues")
                ? partitionQueues(c.get("inputQueues"))
                : List.of(required(c, "inputQueue", "connectors")),
            optional(c, "inputRoutingKey", "")));
    JsonNode second = c.path("secondInput");
    if (second.isObject()) {
      inputs.add(
          new Input(
              required(second, "endpoint", "connectors.secondInput"),
              required(second, "exchange", "connectors.secondInput"),
              required(second, "queue", "connectors.secondInput"),
              optional(second, "routingKey", "")));
    }
    Output output =
        new Output(
            required(c, "outputEndpoint", "connectors"),
            required(c, "outputExchange", "connectors"),
            optional(c, "outputRoutingKey", ""));
    Integer prefetch = c.path("prefetch").isInt() ? c.path("prefetch").intValue() : null;
    JsonNode props = root.path("jobProps");
    return new RuleConfig(
        required(root, "jobId", "RuleConfig"),
        optional(root, "jobType", ""),
        optional(root, "templateVersion", ""),
        new Connectors(List.copyOf(inputs), output, prefetch),
        props.isObject() ? (ObjectNode) props : Json.object(),
        optional(root, "deadLetterExchange", DEFAULT_DEAD_LETTER_EXCHANGE),
        parallelism(root.get("parallelism")));
  }

  /** connectors.inputQueues: the partitions of input #0, in partition order. */
  private static List<String> partitionQueues(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException("connectors.inputQueues must be a non-empty array of queue names");
    }
    List<String> queues = new ArrayList<>();
    for (JsonNode queue : node) {
      if (!queue.isTextual() || queue.textValue().isEmpty()) {
        throw new IllegalArgumentException("connectors.inputQueues must hold queue names (strings)");
      }
      queues.add(queue.textValue());
    }
    return queues;
  }

  /** Top-level parallelism: the job's, source included; 1 when absent. */
  private static int parallelism(JsonNode node) {
    if (node == null || node.isNull()) return 1;
    if (!node.isInt() || node.intValue() < 1) {
      throw new IllegalArgumentException("RuleConfig.parallelism must be an integer >= 1");
    }
    return node.intValue();
  }

  private static String required(JsonNode node, String name, String where) {
    JsonNode value = node.get(name);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(where + "." + name + " must be a string");
    }
    return value.textValue();
  }

  private static String optional(JsonNode node, String name, String fallback) {
    JsonNode value = node.get(name);
    return value != null && value.isTextual() ? value.textValue() : fallback;
  }
}
