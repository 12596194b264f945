package io.ruleshift.bench.siddhi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.siddhi.core.SiddhiAppRuntime;
import io.siddhi.core.SiddhiManager;
import io.siddhi.core.event.Event;
import io.siddhi.core.stream.input.InputHandler;
import io.siddhi.core.stream.output.StreamCallback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Siddhi side of `npm run bench:engine`.
 *
 * <pre>
 * java -jar siddhi-bench.jar run    &lt;filter|tumbling|sliding|join&gt; &lt;paramsJson&gt; &lt;input.jsonl&gt; &lt;warmup&gt; &lt;reps&gt;
 * java -jar siddhi-bench.jar memory &lt;tumbling&gt; &lt;paramsJson&gt; &lt;input.jsonl&gt;
 * </pre>
 *
 * A repetition times JSON parsing (Jackson), Siddhi and the serialisation of every output to a
 * JSON string. The result is one JSON line on stdout (the last line; Siddhi may log before it).
 */
public final class Main {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("usage: run|memory <bench> <paramsJson> <input.jsonl> [warmup reps]");
      System.exit(2);
    }
    String mode = args[0];
    String name = args[1];
    Bench bench = benchFor(name, MAPPER.readTree(args[2]));
    List<String> lines = Files.readAllLines(Path.of(args[3]));
    SiddhiManager manager = new SiddhiManager();
    ObjectNode result = MAPPER.createObjectNode();
    result.put("bench", name);
    result.put("events", lines.size());
    if (mode.equals("memory")) {
      Run run = Run.start(manager, bench);
      run.feed(lines, false);
      // Only the engine's state may stay reachable when RSS is read.
      lines = null;
      result.put("rssBytes", rssAfterGc());
      result.put("outputs", run.outputs.size());
      run.runtime.shutdown();
    } else {
      int warmup = Integer.parseInt(args[4]);
      int reps = Integer.parseInt(args[5]);
      ArrayNode millis = result.putArray("millisPerRep");
      List<String> outputs = List.of();
      for (int rep = 0; rep < warmup + reps; rep++) {
        Run run = Run.start(manager, bench);
        long started = System.nanoTime();
        run.feed(lines, true);
        double elapsed = (System.nanoTime() - started) / 1e6;
        run.runtime.shutdown();
        if (rep >= warmup) millis.add(elapsed);
        outputs = run.outputs;
      }
      List<String> canonical = new ArrayList<>(outputs.size());
      boolean dump = System.getenv("SIDDHI_BENCH_DUMP") != null;
      for (String output : outputs) {
        canonical.add(bench.canonicalLine(MAPPER.readTree(output)));
        if (dump) System.err.println(output);
      }
      result.put("outputs", outputs.size());
      result.put("checksum", Canonical.checksum(canonical));
      result.put("rssBytes", rss());
    }
    manager.shutdown();
    System.out.println(MAPPER.writeValueAsString(result));
  }

  private static Bench benchFor(String name, JsonNode params) {
    switch (name) {
      case "filter": return new FilterBench(params);
      case "tumbling": case "sliding": return new AggregationBench(params);
      case "join": return new JoinBench(params);
      default: throw new IllegalArgumentException("unknown bench " + name);
    }
  }

  /** One SiddhiAppRuntime with its input handlers and collected output JSON strings. */
  private static final class Run {
    final SiddhiAppRuntime runtime;
    final InputHandler[] handlers;
    final Bench bench;
    final List<String> outputs = new ArrayList<>();

    private Run(SiddhiAppRuntime runtime, Bench bench) {
      this.runtime = runtime;
      this.bench = bench;
      String[] streams = bench.streams();
      this.handlers = new InputHandler[streams.length];
      for (int i = 0; i < streams.length; i++) handlers[i] = runtime.getInputHandler(streams[i]);
    }

    static Run start(SiddhiManager manager, Bench bench) {
      SiddhiAppRuntime runtime = manager.createSiddhiAppRuntime(bench.siddhiApp());
      Run run = new Run(runtime, bench);
      runtime.addCallback(bench.outputStream(), new StreamCallback() {
        @Override
        public void receive(Event[] events) {
          try {
            for (Event event : events) run.outputs.add(bench.toJson(event.getData(), MAPPER));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      });
      runtime.start();
      return run;
    }

    void feed(List<String> lines, boolean endOfInput) throws Exception {
      long lastTs = 0;
      for (int i = 0; i < lines.size(); i++) {
        Object[] attributes = SensorEvent.toAttributes(MAPPER.readTree(lines.get(i)));
        lastTs = (Long) attributes[2];
        handlers[bench.streamOf(i)].send(attributes);
      }
      Object[] sentinel = endOfInput ? bench.endOfInput(lastTs) : null;
      if (sentinel != null) handlers[0].send(sentinel);
    }
  }

  private static long rssAfterGc() throws IOException, InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return rss();
  }

  /** VmRSS from /proc/self/status, in bytes (-1 where there is no /proc). */
  private static long rss() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) return -1;
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }
}
