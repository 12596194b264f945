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
 * Every shared window vector (event time and count windows, aggregation and join), cut at every
 * point k (0..n), moved across engines at that cut; the emissions of all the runs together must
 * be exactly the vector's: nothing lost, doubled or different, whatever was open, fired but
 * within its lateness, late or counted when the rule moved.
 *
 * <ul>
 *   <li>flink -> flink: the rule job runs the first k inputs and is stopped with a savepoint (no
 *       drain, as a move stops it); {@link SnapshotExportJob} turns it into the neutral
 *       snapshot, {@link SnapshotImportJob} writes that back as a savepoint, and the rule job
 *       restored from it runs the other inputs to the end of input.
 *   <li>flink -> edge: the edge engine restores that same export and runs the other inputs.
 *   <li>edge -> flink: the edge engine's snapshot after k inputs (libs/engine
 *       vector-cuts.cli.ts) is imported and the rule job runs the other inputs.
 *   <li>edge -> flink -> edge: the edge's snapshot after k inputs is imported, the rule job runs
 *       the next input, is stopped and exported, and the edge engine resumes from that export.
 * </ul>
 *
 * The edge halves run in one node process each way (before the Flink tests and as the last
 * test), reading and writing target/state-cuts.
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

  /** Where the edge engine's cut snapshots and the Flink exports for the edge to resume go. */
  private static final Path CUTS = Path.of("target", "state-cuts").toAbsolutePath();
  private static final Path EDGE_CUTS = CUTS.resolve("edge");
  private static final Path FLINK_CUTS = CUTS.resolve("flink");
  /** Flink exports written for the edge to resume in this run (each must pass). */
  private static final java.util.concurrent.atomic.AtomicInteger FLINK_EXPORTS =
      new java.util.concurrent.atomic.AtomicInteger();
  private static final Path REPO = TEMPLATES.getParent();
  private static final String CUTS_CLI = "libs/engine/src/testing/vector-cuts.cli.ts";

  @TestFactory
  Stream<DynamicTest> everyCutPoint() throws Exception {
    deleteTree(CUTS);
    runEdge("snapshots", EDGE_CUTS);
    List<DynamicTest> tests = new ArrayList<>();
    for (String jobType : List.of("window-aggregation", "window-join")) {
      try (Stream<Path> files = Files.list(TEMPLATES.resolve(jobType).resolve("vectors"))) {
        for (Path file : files.sorted().toList()) {
          JsonNode vector = Json.MAPPER.readTree(file.toFile());
          if (vector.path("jobProps").path("window").path("time").asText("event").equals("processing")) continue;
          if (ONLY != null && !file.getFileName().toString().startsWith(ONLY)) continue;
          Vector v = new Vector(jobType, file, vector);
          for (int k = 0; k <= v.events.size(); k++) {
            int cut = k;
            String name = jobType + "/" + file.getFileName() + " cut after " + cut;
            tests.add(DynamicTest.dynamicTest(name + ": flink -> flink (and flink -> edge)", () -> flinkToFlink(v, cut)));
            tests.add(DynamicTest.dynamicTest(name + ": edge -> flink", () -> edgeToFlink(v, cut)));
            tests.add(DynamicTest.dynamicTest(name + ": edge -> flink -> edge", () -> edgeToFlinkToEdge(v, cut)));
          }
        }
      }
    }
    // Last: the edge engine resumes from every snapshot Flink exported above.
    tests.add(
        DynamicTest.dynamicTest(
            "the edge resumes every Flink export (flink -> edge, edge -> flink -> edge)",
            () -> {
              assertTrue(FLINK_EXPORTS.get() > 0, "no Flink export was written");
              Run edge = runEdge("resume", FLINK_CUTS);
              assertEquals(0, edge.exitCode, edge.output);
              java.util.regex.Matcher tally =
                  java.util.regex.Pattern.compile("(?m)^(\\d+) passed, (\\d+) failed$").matcher(edge.output);
              assertTrue(tally.find(), edge.output);
              assertEquals(FLINK_EXPORTS.get() + " passed, 0 failed", tally.group(), edge.output);
            }));
    return tests.stream();
  }

  /** One vector: its rule config, pipeline and inputs. */
  static final class Vector {
    final String jobType;
    final Path file;
    final JsonNode json;
    final RuleConfig config;
    final PipelineBuilder builder;
    final List<RawEvent> events = new ArrayList<>();

    Vector(String jobType, Path file, JsonNode json) throws Exception {
      this.jobType = jobType;
      this.file = file;
      this.json = json;
      this.config = VectorsTest.configFor(jobType, (ObjectNode) json.get("jobProps"));
      this.builder = VectorsTest.pipelineOf(TEMPLATES.resolve(jobType).resolve("manifest.json"));
      for (JsonNode input : json.path("inputs")) {
        byte[] body =
            input.has("raw")
                ? input.get("raw").asText().getBytes(StandardCharsets.UTF_8)
                : Json.bytes(input.get("event"));
        events.add(new RawEvent(body, input.path("input").asInt(0), "vectors.in", "rk"));
      }
    }

    String label(String family, int cut) {
      return jobType + "/" + file.getFileName() + " " + family + " cut after " + cut;
    }
  }

  /** What a run emitted, and (for a run stopped with a savepoint) the savepoint. */
  record Emitted(List<JsonNode> outputs, List<String> deadLetters, String savepoint) {
    Emitted plus(Emitted later) {
      List<JsonNode> o = new ArrayList<>(outputs);
      o.addAll(later.outputs);
      List<String> d = new ArrayList<>(deadLetters);
      d.addAll(later.deadLetters);
      return new Emitted(o, d, later.savepoint);
    }
  }

  /** Flink runs the first `cut` inputs, stops, exports; Flink imports and runs the rest. */
  private static void flinkToFlink(Vector v, int cut) throws Exception {
    Emitted before = runAndStop(v, v.events.subList(0, cut), null);
    String snapshot = export(v, before.savepoint());
    // The same export is what the edge resumes from for flink -> edge (checked at the end).
    writeFlinkCut(v, "fe-" + cut, snapshot, cut, before);
    Emitted after = runToEnd(v, v.events.subList(cut, v.events.size()), importSnapshot(v, snapshot));
    assertVector(v, before.plus(after), v.label("flink -> flink", cut) + "\n  snapshot " + snapshot);
  }

  /** The edge runs the first `cut` inputs; Flink imports its snapshot and runs the rest. */
  private static void edgeToFlink(Vector v, int cut) throws Exception {
    JsonNode edge = edgeCut(v, cut);
    Emitted before = edgeEmitted(edge);
    Emitted after =
        runToEnd(v, v.events.subList(cut, v.events.size()), importSnapshot(v, Json.text(edge.get("snapshot"))));
    assertVector(v, before.plus(after), v.label("edge -> flink", cut) + "\n  snapshot " + edge.get("snapshot"));
  }

  /**
   * The edge runs the first `cut` inputs; Flink imports its snapshot, runs the next input (none
   * at the end), stops and exports; the edge resumes from that export (checked at the end).
   */
  private static void edgeToFlinkToEdge(Vector v, int cut) throws Exception {
    JsonNode edge = edgeCut(v, cut);
    int next = Math.min(cut + 1, v.events.size());
    Emitted onFlink =
        runAndStop(v, v.events.subList(cut, next), importSnapshot(v, Json.text(edge.get("snapshot"))));
    writeFlinkCut(v, "efe-" + cut, export(v, onFlink.savepoint()), next, edgeEmitted(edge).plus(onFlink));
  }

  private static JsonNode edgeCut(Vector v, int cut) throws Exception {
    return Json.MAPPER.readTree(
        EDGE_CUTS.resolve(v.jobType).resolve(v.file.getFileName().toString()).resolve(cut + ".json").toFile());
  }

  private static Emitted edgeEmitted(JsonNode cut) {
    List<JsonNode> outputs = new ArrayList<>();
    cut.path("outputs").forEach(outputs::add);
    List<String> dead = new ArrayList<>();
    cut.path("deadLetters").forEach(d -> dead.add(d.path("reason").asText() + "\0" + d.path("detail").asText()));
    return new Emitted(outputs, dead, null);
  }

  /** A Flink export for the edge to resume from, with everything emitted before it. */
  private static void writeFlinkCut(Vector v, String name, String snapshot, int resumeAt, Emitted before)
      throws Exception {
    ObjectNode cut = Json.object();
    cut.set("snapshot", Json.parse(snapshot));
    cut.put("resumeAt", resumeAt);
    before.outputs().forEach(cut.putArray("outputs")::add);
    var dead = cut.putArray("deadLetters");
    for (String d : before.deadLetters()) {
      String[] parts = d.split("\0", 2);
      dead.addObject().put("reason", parts[0]).put("detail", parts[1]);
    }
    Path dir = FLINK_CUTS.resolve(v.jobType).resolve(v.file.getFileName().toString());
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name + ".json"), Json.text(cut));
    FLINK_EXPORTS.incrementAndGet();
  }

  private static void assertVector(Vector v, Emitted all, String label) {
    List<JsonNode> expected = new ArrayList<>();
    v.json.path("expected").path("outputs").forEach(expected::add);
    List<String> expectedDead = new ArrayList<>();
    for (JsonNode d : v.json.path("expected").path("deadLetters")) {
      expectedDead.add(d.path("reason").asText() + "\0" + d.path("detail").asText());
    }
    String context =
        label + "\n  expected " + expected + "\n  actual   " + all.outputs() + "\n  expected dead "
            + expectedDead + "\n  actual dead " + all.deadLetters();
    if (v.json.path("ordered").asBoolean(true)) {
      assertEquals(expected.size(), all.outputs().size(), context);
      for (int i = 0; i < expected.size(); i++) {
        assertTrue(VectorsTest.JsonCompare.same(expected.get(i), all.outputs().get(i)), "output #" + i + ": " + context);
      }
    } else {
      assertTrue(VectorsTest.JsonCompare.sameMultiset(expected, all.outputs()), context);
    }
    assertEquals(expectedDead.stream().sorted().toList(), all.deadLetters().stream().sorted().toList(), context);
  }

  /** The rule job on `events` (restored from `restore` if given), then stopped with a savepoint. */
  private static Emitted runAndStop(Vector v, List<RawEvent> events, String restore) throws Exception {
    String run = UUID.randomUUID().toString();
    Configuration conf = noRestart();
    if (restore != null) conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restore);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    collect(env, v.builder, v.config, events, true, run);
    JobClient running = env.executeAsync("before the move");
    String savepoint;
    try {
      while (!Files.exists(runs.resolve(run + ".emitted"))) {
        if (running.getJobStatus().get().isTerminalState()) running.getJobExecutionResult().get();
        Thread.sleep(10);
      }
      savepoint = stopWithSavepoint(running, savepoints.resolve("stop-" + run).toUri().toString());
    } finally {
      if (!running.getJobStatus().get().isTerminalState()) running.cancel().get();
    }
    return emitted(run, savepoint);
  }

  /** The rule job restored from `restore`, on `events` to the end of input. */
  private static Emitted runToEnd(Vector v, List<RawEvent> events, String restore) throws Exception {
    String run = UUID.randomUUID().toString();
    Configuration conf = noRestart();
    conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restore);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    collect(env, v.builder, v.config, events, false, run);
    env.execute("after the move");
    return emitted(run, null);
  }

  /** Flink -> neutral. */
  private static String export(Vector v, String savepoint) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    SnapshotExportJob.build(env, v.config, savepoint);
    return env.execute("export").getAccumulatorResult(SnapshotExportJob.ACCUMULATOR).toString();
  }

  /** neutral -> Flink: the savepoint's path. */
  private static String importSnapshot(Vector v, String snapshot) throws Exception {
    String path = savepoints.resolve("import-" + UUID.randomUUID()).toUri().toString();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    SnapshotImportJob.build(env, v.config, Json.parse(snapshot), path);
    env.execute("import");
    return path;
  }

  private static Emitted emitted(String run, String savepoint) throws Exception {
    List<JsonNode> outputs = new ArrayList<>();
    List<String> deadLetters = new ArrayList<>();
    Path out = runs.resolve(run + ".out");
    for (String line : Files.exists(out) ? Files.readAllLines(out) : List.<String>of()) {
      String item = new String(java.util.Base64.getDecoder().decode(line), StandardCharsets.UTF_8);
      if (item.startsWith("O")) outputs.add(Json.parse(item.substring(1)));
      else deadLetters.add(item.substring(1));
    }
    return new Emitted(outputs, deadLetters, savepoint);
  }

  record Run(int exitCode, String output) {}

  /** The edge engine's half (libs/engine vector-cuts.cli.ts), run with the repository's tsx. */
  private static Run runEdge(String command, Path dir) throws Exception {
    Process process =
        new ProcessBuilder("npx", "--no-install", "tsx", CUTS_CLI, command, dir.toString())
            .directory(REPO.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = process.waitFor();
    if (command.equals("snapshots") && code != 0) throw new IllegalStateException(CUTS_CLI + " failed:\n" + output);
    return new Run(code, output);
  }

  private static void deleteTree(Path root) throws Exception {
    if (!Files.exists(root)) return;
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
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
