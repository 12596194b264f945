package io.ruleshift.bench.siddhi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.siddhi.core.SiddhiAppRuntime;
import io.siddhi.core.SiddhiManager;
import io.siddhi.core.event.Event;
import io.siddhi.core.stream.input.InputHandler;
import io.siddhi.core.stream.output.StreamCallback;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Siddhi side of `npm run bench:engine`.
 *
 * <pre>
 * java -jar siddhi-bench.jar serve  &lt;filter|tumbling|sliding|count|join&gt; &lt;paramsJson&gt;
 * java -jar siddhi-bench.jar memory &lt;tumbling&gt; &lt;paramsJson&gt; &lt;input.jsonl&gt;
 * </pre>
 *
 * `serve` keeps one JVM (so its JIT warms up like the Node side's) and answers commands on
 * stdin, one JSON line on stdout each, so the benchmark can alternate the two engines
 * repetition by repetition on the same fresh input:
 *
 * <ul>
 *   <li>`run &lt;input.jsonl&gt;`: a fresh app runtime; timed (wall clock and the process's CPU
 *       time) from the JSON lines (Jackson) through Siddhi to one JSON string per output.
 *       Answers {millis, cpuMillis, outputs, checksum}.
 *   <li>`phases &lt;input.jsonl&gt;`: the same work split into three timed passes: parse (lines to
 *       attribute arrays), engine (send the parsed arrays, outputs kept as arrays) and serialise
 *       (the kept outputs to JSON strings), each in process CPU time. Answers {parseMillis,
 *       engineMillis, serialiseMillis}.
 *   <li>`quit`.
 * </ul>
 *
 * Reading the file, creating the runtime and the checksum are not timed. Siddhi may log to
 * stdout; an answer is always a line starting with '{'.
 */
public final class Main {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: serve <bench> <paramsJson> | memory <bench> <paramsJson> <input>");
      System.exit(2);
    }
    String mode = args[0];
    String name = args[1];
    Bench bench = benchFor(name, MAPPER.readTree(args[2]));
    SiddhiManager manager = new SiddhiManager();
    if (mode.equals("memory")) {
      List<String> lines = Files.readAllLines(Path.of(args[3]));
      ObjectNode result = MAPPER.createObjectNode();
      result.put("bench", name);
      result.put("events", lines.size());
      Run run = Run.start(manager, bench, true);
      run.feed(lines, false);
      // Only the engine's state may stay reachable when RSS is read.
      lines = null;
      result.put("rssBytes", rssAfterGc());
      result.put("outputs", run.outputs.size());
      run.runtime.shutdown();
      System.out.println(MAPPER.writeValueAsString(result));
    } else if (mode.equals("serve")) {
      serve(manager, bench);
    } else {
      throw new IllegalArgumentException("unknown mode " + mode);
    }
    manager.shutdown();
  }

  private static void serve(SiddhiManager manager, Bench bench) throws Exception {
    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    boolean dump = System.getenv("SIDDHI_BENCH_DUMP") != null;
    for (String command = commands.readLine(); command != null; command = commands.readLine()) {
      if (command.equals("quit")) break;
      int space = command.indexOf(' ');
      String verb = space < 0 ? command : command.substring(0, space);
      List<String> lines = Files.readAllLines(Path.of(command.substring(space + 1)));
      ObjectNode answer = MAPPER.createObjectNode();
      answer.put("events", lines.size());
      settle();
      if (verb.equals("run")) {
        Run run = Run.start(manager, bench, true);
        long cpu = cpuNanos();
        long started = System.nanoTime();
        run.feed(lines, true);
        answer.put("millis", (System.nanoTime() - started) / 1e6);
        answer.put("cpuMillis", (cpuNanos() - cpu) / 1e6);
        run.runtime.shutdown();
        List<String> canonical = new ArrayList<>(run.outputs.size());
        for (String output : run.outputs) {
          canonical.add(bench.canonicalLine(MAPPER.readTree(output)));
          if (dump) System.err.println(output);
        }
        answer.put("outputs", run.outputs.size());
        answer.put("checksum", Canonical.checksum(canonical));
      } else if (verb.equals("phases")) {
        phases(manager, bench, lines, answer);
      } else {
        throw new IllegalArgumentException("unknown command " + verb);
      }
      System.out.println(MAPPER.writeValueAsString(answer));
      System.out.flush();
    }
  }

  private static void phases(SiddhiManager manager, Bench bench, List<String> lines, ObjectNode answer)
      throws Exception {
    // Parsing as the run does it: each event's attributes become garbage at once.
    long seqSum = 0;
    long started = cpuNanos();
    for (String line : lines) seqSum += (Long) SensorEvent.toAttributes(MAPPER.readTree(line))[1];
    answer.put("parseMillis", (cpuNanos() - started) / 1e6);
    answer.put("seqSum", seqSum);
    // The engine pass sends attributes parsed beforehand (not timed).
    Object[][] parsed = new Object[lines.size()][];
    for (int i = 0; i < parsed.length; i++) {
      parsed[i] = SensorEvent.toAttributes(MAPPER.readTree(lines.get(i)));
    }
    settle();
    Run run = Run.start(manager, bench, false);
    started = cpuNanos();
    run.send(parsed, true);
    answer.put("engineMillis", (cpuNanos() - started) / 1e6);
    run.runtime.shutdown();
    started = cpuNanos();
    List<String> outputs = new ArrayList<>(run.kept.size());
    for (Object[] data : run.kept) outputs.add(bench.toJson(data, MAPPER));
    answer.put("serialiseMillis", (cpuNanos() - started) / 1e6);
    answer.put("outputs", outputs.size());
  }

  /** CPU time of the whole JVM (every thread, JIT and GC included), as Node's process.cpuUsage. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** A collection before each timed pass (the Node side does the same), so none runs into it. */
  private static void settle() throws InterruptedException {
    System.gc();
    Thread.sleep(20);
  }

  private static Bench benchFor(String name, JsonNode params) {
    switch (name) {
      case "filter": return new FilterBench(params);
      case "tumbling": case "sliding": return new AggregationBench(params);
      case "count": return new CountBench(params);
      case "join": return new JoinBench(params);
      default: throw new IllegalArgumentException("unknown bench " + name);
    }
  }

  /**
   * One SiddhiAppRuntime with its input handlers; outputs are collected as JSON strings, or
   * (serialise false) as their attribute arrays.
   */
  private static final class Run {
    final SiddhiAppRuntime runtime;
    final InputHandler[] handlers;
    final Bench bench;
    final List<String> outputs = new ArrayList<>();
    final List<Object[]> kept = new ArrayList<>();

    private Run(SiddhiAppRuntime runtime, Bench bench) {
      this.runtime = runtime;
      this.bench = bench;
      String[] streams = bench.streams();
      this.handlers = new InputHandler[streams.length];
      for (int i = 0; i < streams.length; i++) handlers[i] = runtime.getInputHandler(streams[i]);
    }

    static Run start(SiddhiManager manager, Bench bench, boolean serialise) {
      SiddhiAppRuntime runtime = manager.createSiddhiAppRuntime(bench.siddhiApp());
      Run run = new Run(runtime, bench);
      runtime.addCallback(bench.outputStream(), new StreamCallback() {
        @Override
        public void receive(Event[] events) {
          try {
            for (Event event : events) {
              if (serialise) run.outputs.add(bench.toJson(event.getData(), MAPPER));
              else run.kept.add(event.getData().clone());
            }
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

    /** feed() with the parsing done beforehand. */
    void send(Object[][] parsed, boolean endOfInput) throws Exception {
      long lastTs = 0;
      for (int i = 0; i < parsed.length; i++) {
        lastTs = (Long) parsed[i][2];
        handlers[bench.streamOf(i)].send(parsed[i]);
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
