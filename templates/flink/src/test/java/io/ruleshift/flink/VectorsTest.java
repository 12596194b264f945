package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
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
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs every shared test vector (templates/<jobType>/vectors/*.json, the same files the edge
 * engine runs) through the job's own pipeline on a Flink MiniCluster: a bounded collection
 * replaces the RabbitMQ source (its end is watermark +inf, so every window fires) and the
 * outputs and dead letters are collected instead of published.
 *
 * <p>Outputs are compared in order when the vector says {@code "ordered": true}, else as a
 * multiset. Dead letters are compared as a multiset of reasons: on Flink bad events and late
 * events leave through different side outputs, so their relative order is not defined. Every
 * dead letter must carry the original bytes of an input.
 */
class VectorsTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final Map<String, PipelineBuilder> JOBS =
      Map.of(
          "filter", FilterJob::buildPipeline,
          "window-aggregation", WindowAggregationJob::buildPipeline,
          "window-join", WindowJoinJob::buildPipeline);

  private static final Path TEMPLATES = Path.of("..").toAbsolutePath().normalize();

  @TestFactory
  Stream<DynamicTest> sharedVectors() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (String jobType : List.of("filter", "window-aggregation", "window-join")) {
      Path dir = TEMPLATES.resolve(jobType).resolve("vectors");
      if (!Files.isDirectory(dir)) continue; // that template has no vectors yet
      try (Stream<Path> files = Files.list(dir)) {
        files
            .filter(f -> f.getFileName().toString().endsWith(".json"))
            .sorted()
            .forEach(
                f -> tests.add(
                    DynamicTest.dynamicTest(jobType + "/" + f.getFileName(), () -> run(jobType, f))));
      }
    }
    assertFalse(tests.isEmpty(), "no vectors found under " + TEMPLATES);
    return tests.stream();
  }

  private static void run(String jobType, Path file) throws Exception {
    JsonNode vector = Json.MAPPER.readTree(file.toFile());
    RuleConfig config = configFor(jobType, (ObjectNode) vector.get("jobProps"));

    List<RawEvent> events = new ArrayList<>();
    for (JsonNode input : vector.path("inputs")) {
      byte[] body =
          input.has("raw")
              ? input.get("raw").asText().getBytes(StandardCharsets.UTF_8)
              : Json.bytes(input.get("event"));
      events.add(new RawEvent(body, input.path("input").asInt(0), "vectors.in", "rk"));
    }

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(1);
    DataStream<RawEvent> source =
        env.fromData(events, TypeInformation.of(RawEvent.class)).name("vector inputs");
    Pipeline pipeline = JOBS.get(jobType).build(env, List.of(source), config);
    DataStream<String> collected =
        pipeline
            .outputs()
            .map(body -> "O" + new String(body, StandardCharsets.UTF_8))
            .union(
                pipeline
                    .deadLetters()
                    .map(d -> "D" + d.reason + " " + Base64.getEncoder().encodeToString(d.body)));

    List<JsonNode> outputs = new ArrayList<>();
    List<String> deadReasons = new ArrayList<>();
    try (var results = collected.executeAndCollect("vector " + file.getFileName())) {
      while (results.hasNext()) {
        String item = results.next();
        if (item.startsWith("O")) {
          outputs.add(Json.parse(item.substring(1)));
          continue;
        }
        String[] parts = item.substring(1).split(" ", 2);
        deadReasons.add(parts[0]);
        byte[] body = Base64.getDecoder().decode(parts[1]);
        assertTrue(
            events.stream().anyMatch(e -> java.util.Arrays.equals(e.body, body)),
            "dead letter must carry the original bytes of an input");
      }
    }

    List<JsonNode> expectedOutputs = new ArrayList<>();
    vector.path("expected").path("outputs").forEach(expectedOutputs::add);
    List<String> expectedReasons = new ArrayList<>();
    vector.path("expected").path("deadLetters").forEach(d -> expectedReasons.add(d.path("reason").asText()));

    String context = file.getFileName() + "\n  expected outputs " + expectedOutputs + "\n  actual   outputs " + outputs
        + "\n  expected dead letters " + expectedReasons + "\n  actual   dead letters " + deadReasons;
    if (vector.path("ordered").asBoolean(true)) {
      assertEquals(expectedOutputs.size(), outputs.size(), context);
      for (int i = 0; i < outputs.size(); i++) {
        assertTrue(JsonCompare.same(expectedOutputs.get(i), outputs.get(i)), "output #" + i + ": " + context);
      }
    } else {
      assertTrue(JsonCompare.sameMultiset(expectedOutputs, outputs), context);
    }
    assertArrayEquals(
        expectedReasons.stream().sorted().toArray(), deadReasons.stream().sorted().toArray(), context);
  }

  static RuleConfig configFor(String jobType, ObjectNode jobProps) {
    List<RuleConfig.Input> inputs = new ArrayList<>();
    inputs.add(new RuleConfig.Input("edge", "vectors.in", "vectors.q", "rk"));
    if (jobType.equals("window-join")) inputs.add(new RuleConfig.Input("edge", "vectors.in2", "vectors.q2", "rk"));
    return new RuleConfig(
        "vector-test",
        jobType,
        "test",
        new RuleConfig.Connectors(inputs, new RuleConfig.Output("edge", "vectors.out", "rk"), null),
        jobProps,
        RuleConfig.DEFAULT_DEAD_LETTER_EXCHANGE);
  }

  /** JSON equality with numbers compared by value (3 equals 3.0; float sums within 1e-9). */
  static final class JsonCompare {
    static boolean same(JsonNode a, JsonNode b) {
      if (a.isNumber() && b.isNumber()) {
        double x = a.doubleValue();
        double y = b.doubleValue();
        return x == y || Math.abs(x - y) <= 1e-9 * Math.max(1, Math.max(Math.abs(x), Math.abs(y)));
      }
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
