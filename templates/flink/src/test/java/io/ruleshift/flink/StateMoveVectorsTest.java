package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.functions.source.SourceFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shared window vector, cut at every point k (0..n): the rule job runs the first k
 * inputs and is stopped with a savepoint (no drain, as a move stops it), {@link
 * SnapshotExportJob} turns that savepoint into the neutral snapshot, {@link SnapshotImportJob}
 * writes it back as a savepoint, and the rule job restored from it runs the other inputs to the
 * end. The outputs and dead letters of both runs together must be exactly the vector's: nothing
 * lost, doubled or different, whatever was open, fired-but-within-lateness, late or counted when
 * the rule moved.
 */
class StateMoveVectorsTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  private static final Path TEMPLATES = Path.of("..").toAbsolutePath().normalize();
  /**
   * Where the jobs leave what they emitted ("run".out, one line each) and that their source is
   * done ("run".emitted): files, since Flink loads the job's functions in its own class loader,
   * which has its own statics.
   */
  @TempDir static Path runs;

  @TempDir static Path savepoints;
  /** -Dstate-move.only=<vector file prefix> runs one vector's cuts (when working on one). */
  private static final String ONLY = System.getProperty("state-move.only");

  @TestFactory
  Stream<DynamicTest> everyCutPoint() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (String jobType : List.of("window-aggregation", "window-join")) {
      try (Stream<Path> files = Files.list(TEMPLATES.resolve(jobType).resolve("vectors"))) {
        for (Path file : files.sorted().toList()) {
          JsonNode vector = Json.MAPPER.readTree(file.toFile());
          if (vector.path("jobProps").path("window").path("time").asText("event").equals("processing")) continue;
          if (ONLY != null && !file.getFileName().toString().startsWith(ONLY)) continue;
          int n = vector.path("inputs").size();
          for (int k = 0; k <= n; k++) {
            int cut = k;
            tests.add(
                DynamicTest.dynamicTest(
                    jobType + "/" + file.getFileName() + " cut after " + cut,
                    () -> moveAt(jobType, file, vector, cut)));
          }
        }
      }
    }
    return tests.stream();
  }

  private static void moveAt(String jobType, Path file, JsonNode vector, int cut) throws Exception {
    RuleConfig config = VectorsTest.configFor(jobType, (ObjectNode) vector.get("jobProps"));
    PipelineBuilder builder = VectorsTest.pipelineOf(TEMPLATES.resolve(jobType).resolve("manifest.json"));
    List<RawEvent> events = new ArrayList<>();
    for (JsonNode input : vector.path("inputs")) {
      byte[] body =
          input.has("raw")
              ? input.get("raw").asText().getBytes(StandardCharsets.UTF_8)
              : Json.bytes(input.get("event"));
      events.add(new RawEvent(body, input.path("input").asInt(0), "vectors.in", "rk"));
    }

    // Before the move: the first `cut` inputs, then a stop with a savepoint.
    String before = UUID.randomUUID().toString();
    StreamExecutionEnvironment envA = StreamExecutionEnvironment.getExecutionEnvironment(noRestart());
    collect(envA, builder, config, events.subList(0, cut), true, before);
    JobClient running = envA.executeAsync("before the move");
    String savepoint;
    try {
      while (!Files.exists(runs.resolve(before + ".emitted"))) {
        if (running.getJobStatus().get().isTerminalState()) running.getJobExecutionResult().get();
        Thread.sleep(10);
      }
      savepoint = stopWithSavepoint(running, savepoints.resolve("stop-" + before).toUri().toString());
    } finally {
      if (!running.getJobStatus().get().isTerminalState()) running.cancel().get();
    }

    // Flink -> neutral.
    StreamExecutionEnvironment envExport = StreamExecutionEnvironment.getExecutionEnvironment();
    SnapshotExportJob.build(envExport, config, savepoint);
    String snapshot =
        envExport.execute("export").getAccumulatorResult(SnapshotExportJob.ACCUMULATOR).toString();

    // neutral -> Flink.
    String imported = savepoints.resolve("import-" + before).toUri().toString();
    StreamExecutionEnvironment envImport = StreamExecutionEnvironment.getExecutionEnvironment();
    SnapshotImportJob.build(envImport, config, Json.parse(snapshot), imported);
    envImport.execute("import");

    // After the move: the other inputs to the end of input, from the imported state.
    String after = UUID.randomUUID().toString();
    Configuration restore = noRestart();
    restore.set(StateRecoveryOptions.SAVEPOINT_PATH, imported);
    StreamExecutionEnvironment envB = StreamExecutionEnvironment.getExecutionEnvironment(restore);
    collect(envB, builder, config, events.subList(cut, events.size()), false, after);
    envB.execute("after the move");

    List<JsonNode> outputs = new ArrayList<>();
    List<String> deadLetters = new ArrayList<>();
    for (String run : List.of(before, after)) {
      Path out = runs.resolve(run + ".out");
      List<String> lines = Files.exists(out) ? Files.readAllLines(out) : List.of();
      for (String line : lines) {
        String item = new String(java.util.Base64.getDecoder().decode(line), StandardCharsets.UTF_8);
        if (item.startsWith("O")) outputs.add(Json.parse(item.substring(1)));
        else deadLetters.add(item.substring(1));
      }
    }
    List<JsonNode> expected = new ArrayList<>();
    vector.path("expected").path("outputs").forEach(expected::add);
    List<String> expectedDead = new ArrayList<>();
    for (JsonNode d : vector.path("expected").path("deadLetters")) {
      expectedDead.add(d.path("reason").asText() + "\0" + d.path("detail").asText());
    }
    String context =
        file.getFileName() + " cut after " + cut + "\n  snapshot " + snapshot + "\n  expected " + expected
            + "\n  actual   " + outputs + "\n  expected dead " + expectedDead + "\n  actual dead " + deadLetters;
    if (vector.path("ordered").asBoolean(true)) {
      assertEquals(expected.size(), outputs.size(), context);
      for (int i = 0; i < outputs.size(); i++) {
        assertTrue(VectorsTest.JsonCompare.same(expected.get(i), outputs.get(i)), "output #" + i + ": " + context);
      }
    } else {
      assertTrue(VectorsTest.JsonCompare.sameMultiset(expected, outputs), context);
    }
    assertEquals(expectedDead.stream().sorted().toList(), deadLetters.stream().sorted().toList(), context);
  }

  /** Stops without drain, as a move does; again while some task is still being deployed. */
  private static String stopWithSavepoint(JobClient job, String dir) throws Exception {
    for (int attempt = 0; ; attempt++) {
      try {
        return job.stopWithSavepoint(false, dir, SavepointFormatType.CANONICAL).get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (attempt > 100 || !String.valueOf(org.apache.flink.util.ExceptionUtils.stringifyException(e)).contains("Not all required tasks are currently running")) throw e;
        Thread.sleep(50);
      }
    }
  }

  /** A failing job fails the test at once instead of restarting. */
  private static Configuration noRestart() {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    return conf;
  }

  /** The rule's pipeline on a list source; outputs and dead letters into COLLECTED[run]. */
  private static void collect(
      StreamExecutionEnvironment env,
      PipelineBuilder builder,
      RuleConfig config,
      List<RawEvent> events,
      boolean holdOpen,
      String run) {
    RabbitMqJob.configure(env);
    env.setParallelism(1);
    env.enableCheckpointing(60_000);
    String emitted = runs.resolve(run + ".emitted").toString();
    String out = runs.resolve(run + ".out").toString();
    DataStream<RawEvent> source =
        env.addSource(new ListSource(events, holdOpen, emitted), TypeInformation.of(RawEvent.class))
            .uid("vector-source");
    Pipeline pipeline = builder.build(env, List.of(source), config);
    DataStream<String> outputs = pipeline.outputs().map(b -> "O" + new String(b, StandardCharsets.UTF_8)).returns(Types.STRING);
    DataStream<String> dead = pipeline.deadLetters().map(d -> "D" + d.reason + "\0" + (d.detail == null ? "" : d.detail)).returns(Types.STRING);
    outputs
        .union(dead)
        .map(
            item -> {
              String line = java.util.Base64.getEncoder().encodeToString(item.getBytes(StandardCharsets.UTF_8)) + "\n";
              Files.writeString(
                  Path.of(out), line, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
              return item;
            })
        .returns(Types.STRING)
        .uid("collect")
        .sinkTo(new DiscardingSink<>());
  }

  /** Emits its events; then either ends (end of input) or stays open until stopped. */
  static final class ListSource implements SourceFunction<RawEvent> {
    private static final long serialVersionUID = 1L;
    private final List<byte[]> bodies = new ArrayList<>();
    private final List<Integer> inputs = new ArrayList<>();
    private final boolean holdOpen;
    private final String emitted;
    private volatile boolean running = true;

    ListSource(List<RawEvent> events, boolean holdOpen, String emitted) {
      for (RawEvent event : events) {
        bodies.add(event.body);
        inputs.add(event.input);
      }
      this.holdOpen = holdOpen;
      this.emitted = emitted;
    }

    @Override
    public void run(SourceContext<RawEvent> ctx) throws Exception {
      for (int i = 0; i < bodies.size(); i++) {
        synchronized (ctx.getCheckpointLock()) {
          ctx.collect(new RawEvent(bodies.get(i), inputs.get(i), "vectors.in", "rk"));
        }
      }
      Files.writeString(Path.of(emitted), "done");
      while (holdOpen && running) Thread.sleep(10);
    }

    @Override
    public void cancel() {
      running = false;
    }
  }
}
