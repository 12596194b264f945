package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs every shared test vector (templates/<jobType>/vectors/*.json, the same files the edge
 * engine runs) through the job's own pipeline on a Flink MiniCluster: a bounded collection
 * replaces the RabbitMQ source (its end is watermark +inf, so every window fires) and the
 * outputs and dead letters are collected instead of published.
 *
 * <p>Templates are discovered (folders with vectors and a Flink entry class in their manifest).
 * Outputs are compared exactly, in order when the vector says {@code "ordered": true}, else as a
 * multiset. Dead letters are compared by every header the job publishes them with
 * ({@link RabbitMqJob#deadLetterHeaders}, reason and detail included), exactly, as a multiset: on
 * Flink bad, late and over-the-limit events leave through different side outputs, so their
 * relative order is not defined. The edge runs the same comparison (libs/engine vectors.spec.ts,
 * same job id, source and clock). Every dead letter must carry the original bytes of an input.
 */
class VectorsTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final Path TEMPLATES = Path.of("..").toAbsolutePath().normalize();
  /** Where every vector input comes from, and the dead-letter clock: as the edge's vector harness. */
  private static final String SOURCE_EXCHANGE = "vectors.in";
  private static final String SOURCE_ROUTING_KEY = "rk";
  private static final long NOW_MS = 0;

  /**
   * Every folder under templates/ with a vectors/ folder and a manifest naming a Flink entry
   * class: a new template is tested without touching this file (libs/engine's vectors.spec.ts
   * finds the edge side the same way).
   */
  @TestFactory
  Stream<DynamicTest> sharedVectors() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> folders = Files.list(TEMPLATES)) {
      for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
        Path vectors = folder.resolve("vectors");
        Path manifest = folder.resolve("manifest.json");
        if (!Files.isDirectory(vectors) || !Files.isRegularFile(manifest)) continue;
        String jobType = folder.getFileName().toString();
        PipelineBuilder builder = pipelineOf(manifest);
        try (Stream<Path> files = Files.list(vectors)) {
          files
              .filter(f -> f.getFileName().toString().endsWith(".json"))
              .sorted()
              .forEach(
                  f -> tests.add(
                      DynamicTest.dynamicTest(
                          jobType + "/" + f.getFileName(), () -> run(jobType, builder, f))));
        }
      }
    }
    assertFalse(tests.isEmpty(), "no vectors found under " + TEMPLATES);
    return tests.stream();
  }

  @Test
  void discoversEveryTemplateWithVectors() throws IOException {
    List<String> names = sharedVectors().map(DynamicTest::getDisplayName).toList();
    for (String jobType : List.of("filter", "window-aggregation", "window-join", "business-rules")) {
      assertTrue(names.stream().anyMatch(n -> n.startsWith(jobType + "/")), jobType);
    }
  }

  /** The template's Flink entry class's {@code buildPipeline}, as its main() runs it. */
  static PipelineBuilder pipelineOf(Path manifest) throws IOException {
    JsonNode entry = Json.MAPPER.readTree(manifest.toFile()).path("artifacts").path("flink").path("entryClass");
    assertTrue(entry.isTextual(), manifest + " names no artifacts.flink.entryClass");
    try {
      Method build =
          Class.forName(entry.textValue())
              .getMethod("buildPipeline", StreamExecutionEnvironment.class, List.class, RuleConfig.class);
      return (env, inputs, config) -> {
        try {
          return (Pipeline) build.invoke(null, env, inputs, config);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(entry.textValue() + ".buildPipeline failed", e);
        }
      };
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(manifest + ": no buildPipeline on " + entry.textValue(), e);
    }
  }

  private static void run(String jobType, PipelineBuilder builder, Path file) throws Exception {
    JsonNode vector = Json.MAPPER.readTree(file.toFile());
    RuleConfig config = configFor(jobType, (ObjectNode) vector.get("jobProps"));

    List<RawEvent> events = new ArrayList<>();
    for (JsonNode input : vector.path("inputs")) {
      byte[] body =
          input.has("raw")
              ? input.get("raw").asText().getBytes(StandardCharsets.UTF_8)
              : Json.bytes(input.get("event"));
      events.add(new RawEvent(body, input.path("input").asInt(0), SOURCE_EXCHANGE, SOURCE_ROUTING_KEY));
    }

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    RabbitMqJob.configure(env);
    env.setParallelism(1);
    DataStream<RawEvent> source =
        env.fromData(events, TypeInformation.of(RawEvent.class)).name("vector inputs");
    Pipeline pipeline = builder.build(env, List.of(source), config);
    // Outputs as "O<routing key or nothing>\0<json>", dead letters as
    // "D<reason>\0<detail>\0<source exchange>\0<source routing key>\0<base64>".
    DataStream<String> outputStrings =
        pipeline.routedOutputs() != null
            ? pipeline
                .routedOutputs()
                .map(
                    o ->
                        "O"
                            + (o.routingKey == null ? "" : "=" + o.routingKey)
                            + "\0"
                            + new String(o.body, StandardCharsets.UTF_8))
            : pipeline.outputs().map(body -> "O\0" + new String(body, StandardCharsets.UTF_8));
    DataStream<String> collected =
        outputStrings.union(
            pipeline
                .deadLetters()
                .map(
                    d ->
                        "D"
                            + d.reason
                            + "\0"
                            + (d.detail == null ? "" : d.detail)
                            + "\0"
                            + d.sourceExchange
                            + "\0"
                            + d.sourceRoutingKey
                            + "\0"
                            + Base64.getEncoder().encodeToString(d.body)));

    List<JsonNode> outputs = new ArrayList<>();
    List<String> routingKeys = new ArrayList<>();
    List<Map<String, Object>> deadHeaders = new ArrayList<>();
    try (var results = collected.executeAndCollect("vector " + file.getFileName())) {
      while (results.hasNext()) {
        String item = results.next();
        if (item.startsWith("O")) {
          String[] parts = item.substring(1).split("\0", 2);
          routingKeys.add(parts[0].isEmpty() ? null : parts[0].substring(1));
          outputs.add(Json.parse(parts[1]));
          continue;
        }
        String[] parts = item.substring(1).split("\0", 5);
        byte[] body = Base64.getDecoder().decode(parts[4]);
        DeadLetter dead = new DeadLetter(parts[0], parts[1], body, parts[2], parts[3]);
        deadHeaders.add(RabbitMqJob.deadLetterHeaders(dead, config.jobId(), NOW_MS));
        assertTrue(
            events.stream().anyMatch(e -> java.util.Arrays.equals(e.body, body)),
            "dead letter must carry the original bytes of an input");
      }
    }

    List<JsonNode> expectedOutputs = new ArrayList<>();
    vector.path("expected").path("outputs").forEach(expectedOutputs::add);
    List<Map<String, Object>> expectedHeaders = new ArrayList<>();
    for (JsonNode d : vector.path("expected").path("deadLetters")) {
      expectedHeaders.add(
          RabbitMqJob.deadLetterHeaders(
              new DeadLetter(d.path("reason").asText(), d.path("detail").asText(), null,
                  SOURCE_EXCHANGE, SOURCE_ROUTING_KEY),
              config.jobId(), NOW_MS));
    }

    String context = file.getFileName() + "\n  expected outputs " + expectedOutputs + "\n  actual   outputs " + outputs
        + "\n  expected dead letters " + expectedHeaders + "\n  actual   dead letters " + deadHeaders;
    if (vector.path("ordered").asBoolean(true)) {
      assertEquals(expectedOutputs.size(), outputs.size(), context);
      for (int i = 0; i < outputs.size(); i++) {
        assertTrue(JsonCompare.same(expectedOutputs.get(i), outputs.get(i)), "output #" + i + ": " + context);
      }
    } else {
      assertTrue(JsonCompare.sameMultiset(expectedOutputs, outputs), context);
    }
    assertArrayEquals(sortedText(expectedHeaders), sortedText(deadHeaders), context);
    JsonNode expectedKeys = vector.path("expected").get("routingKeys");
    if (vector.path("ordered").asBoolean(true) && expectedKeys != null) {
      List<String> keys = new ArrayList<>();
      expectedKeys.forEach(k -> keys.add(k.isNull() ? null : k.asText()));
      assertEquals(keys, routingKeys, "routing keys: " + context);
    }
  }

  /** Each header map as sorted-key text, sorted: a multiset compared exactly. */
  private static Object[] sortedText(List<Map<String, Object>> headers) {
    return headers.stream().map(h -> new java.util.TreeMap<>(h).toString()).sorted().toArray();
  }

  static RuleConfig configFor(String jobType, ObjectNode jobProps) {
    List<RuleConfig.Input> inputs = new ArrayList<>();
    inputs.add(new RuleConfig.Input("edge", "vectors.in", "vectors.q", "rk"));
    if (jobType.equals("window-join")) inputs.add(new RuleConfig.Input("edge", "vectors.in2", "vectors.q2", "rk"));
    return new RuleConfig(
        "vector-" + jobType,
        jobType,
        "test",
        new RuleConfig.Connectors(inputs, new RuleConfig.Output("edge", "vectors.out", "rk"), null),
        jobProps,
        RuleConfig.DEFAULT_DEAD_LETTER_EXCHANGE,
        1);
  }

  /**
   * JSON equality as the edge side's toEqual sees it: exact, no tolerance. Numbers compare by
   * exact value only because JSON does not tell 3 from 3.0 (Jackson parses them as int and double).
   */
  static final class JsonCompare {
    static boolean same(JsonNode a, JsonNode b) {
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

    static boolean sameMultiset(List<JsonNode> expected, List<JsonNode> actual) {
      if (expected.size() != actual.size()) return false;
      List<JsonNode> left = new ArrayList<>(actual);
      for (JsonNode e : expected) {
        int found = -1;
        for (int i = 0; i < left.size() && found < 0; i++) if (same(e, left.get(i))) found = i;
        if (found < 0) return false;
        left.remove(found);
      }
      return true;
    }
  }

}
