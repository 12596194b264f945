package io.ruleshift.flink;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.core.io.InputStatus;

/**
 * Micro-benchmark of a filter rule's task without Flink's runtime around it (not a test;
 * bench/README.md says how to run it): {@code events} preloaded into a durable queue, then one
 * thread does what the chained task does, reader -> JSON parse -> filter -> sink writer, with a
 * checkpoint (flush, snapshots, then the source's ack) every {@code intervalMs}. Prints events/s
 * and where the thread's time went: waiting for deliveries, parsing and filtering, publishing,
 * checkpoints.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.ruleshift.flink.RmqPipelineThroughput 50000 1000 50000</pre>
 */
public final class RmqPipelineThroughput {
  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    long intervalMs = args.length > 1 ? Long.parseLong(args[1]) : 1000;
    int prefetch = args.length > 2 ? Integer.parseInt(args[2]) : RabbitMqJob.DEFAULT_PREFETCH;
    String in = "flink-pipe-bench-in-" + UUID.randomUUID();
    String out = "flink-pipe-bench-out-" + UUID.randomUUID();
    FilterLogic filter =
        FilterLogic.fromJobProps(
            Json.parse("{\"fieldJsonPath\":\"$.temperature\",\"condition\":\">=\",\"threshold\":-1000}"));
    try (Connection admin = RmqConnections.open(TestBroker.ENDPOINT, "pipe-bench-admin")) {
      Channel channel = admin.createChannel();
      channel.queueDeclare(in, true, false, false, null);
      channel.queueDeclare(out, true, false, false, null);
      try {
        channel.confirmSelect();
        for (int i = 0; i < events; i++) {
          String body = "{\"deviceId\":\"d-" + (i % 100) + "\",\"temperature\":" + (i % 50) + ",\"seq\":" + i + "}";
          channel.basicPublish(
              "", in, new AMQP.BasicProperties.Builder().deliveryMode(2).correlationId("p-" + i).build(),
              body.getBytes(StandardCharsets.UTF_8));
        }
        channel.waitForConfirmsOrDie(120_000);

        RmqSinkWriter<byte[]> writer =
            new RmqSinkWriter<>(TestBroker.ENDPOINT, "pipe-bench-sink", "bench:out:0:", 0, RabbitMqJob.outputs("", out));
        long[] nanos = new long[3]; // parse+filter, publish, checkpoints
        int[] seen = {0};
        ReaderOutput<RawEvent> chain =
            new Chain(
                event -> {
                  long t0 = System.nanoTime();
                  boolean pass;
                  try {
                    pass = filter.test(Json.parse(event.body));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  long t1 = System.nanoTime();
                  nanos[0] += t1 - t0;
                  if (pass) {
                    try {
                      writer.write(event.body, null);
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                    nanos[1] += System.nanoTime() - t1;
                  }
                  seen[0]++;
                });
        RmqSourceReader reader = new RmqSourceReader(TestBroker.ENDPOINT, prefetch, "pipe-bench-source");
        long idleNanos = 0;
        com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> threadsAtStart = threadTicks();
        long cpuAtStart = os.getProcessCpuTime();
        long threadCpuAtStart = threads.getCurrentThreadCpuTime();
        long started = System.nanoTime();
        reader.addSplits(List.of(new RmqQueueSplit(0, 0, in, List.of())));
        long firstEvent = 0;
        long nextCheckpoint = started + intervalMs * 1_000_000;
        long checkpoint = 0;
        while (seen[0] < events) {
          if (reader.pollNext(chain) == InputStatus.NOTHING_AVAILABLE) {
            long t0 = System.nanoTime();
            try {
              reader.isAvailable().get(Math.max(1, (nextCheckpoint - t0) / 1_000_000), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException timeToCheckpoint) {
              // fall through to the checkpoint
            }
            if (firstEvent != 0) idleNanos += System.nanoTime() - t0;
          }
          if (firstEvent == 0 && seen[0] > 0) firstEvent = System.nanoTime();
          if (System.nanoTime() >= nextCheckpoint) {
            long t0 = System.nanoTime();
            writer.flush(false);
            reader.snapshotState(++checkpoint);
            writer.snapshotState(checkpoint);
            reader.notifyCheckpointComplete(checkpoint);
            nanos[2] += System.nanoTime() - t0;
            nextCheckpoint = System.nanoTime() + intervalMs * 1_000_000;
          }
        }
        long processed = System.nanoTime();
        long processCpu = os.getProcessCpuTime() - cpuAtStart;
        long taskCpu = threads.getCurrentThreadCpuTime() - threadCpuAtStart;
        java.util.Map<String, Long> threadsAtEnd = threadTicks();
        writer.flush(true);
        long confirmed = System.nanoTime();
        writer.close();
        reader.snapshotState(++checkpoint);
        reader.notifyCheckpointComplete(checkpoint);
        reader.close();
        double window = (processed - firstEvent) / 1e9;
        System.out.printf(
            "events=%d interval=%dms prefetch=%d: %.0f events/s first->last event (%.2f s), +%.0f ms to the last confirm;"
                + " thread: waiting for deliveries %.0f ms, parse+filter %.0f ms, publish %.0f ms, checkpoints %.0f ms (%d);"
            + " CPU per event: process %.1f us, task thread %.1f us%n",
            events, intervalMs, prefetch, events / window, window, (confirmed - processed) / 1e6,
            idleNanos / 1e6, nanos[0] / 1e6, nanos[1] / 1e6, nanos[2] / 1e6, checkpoint,
            processCpu / 1e3 / events, taskCpu / 1e3 / events);
        // Every thread's CPU in the timed window, by thread name (JIT and GC threads included).
        java.util.Map<String, Long> byName = new java.util.TreeMap<>();
        threadsAtEnd.forEach(
            (key, ticks) -> {
              String name = key.substring(key.indexOf(' ') + 1).replaceAll("[0-9]+", "#");
              byName.merge(name, ticks - threadsAtStart.getOrDefault(key, 0L), Long::sum);
            });
        byName.entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
            .forEach(e -> System.out.printf("  %-24s %5.1f us/event%n", e.getKey(), e.getValue() * 10_000.0 / events));
      } finally {
        channel.queueDelete(in);
        channel.queueDelete(out);
      }
    }
  }

  /** utime+stime in clock ticks (10 ms) of every thread of this process, by "tid name". */
  private static java.util.Map<String, Long> threadTicks() throws java.io.IOException {
    java.util.Map<String, Long> ticks = new java.util.HashMap<>();
    try (java.nio.file.DirectoryStream<java.nio.file.Path> tasks =
        java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of("/proc/self/task"))) {
      for (java.nio.file.Path task : tasks) {
        try {
          String stat = java.nio.file.Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks.put(task.getFileName() + " " + name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (java.io.IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    }
    return ticks;
  }

  /** The chained operators after the source, as one ReaderOutput. */
  private record Chain(java.util.function.Consumer<RawEvent> next) implements ReaderOutput<RawEvent> {
    @Override
    public void collect(RawEvent record) {
      next.accept(record);
    }

    @Override
    public void collect(RawEvent record, long timestamp) {
      next.accept(record);
    }

    @Override
    public void emitWatermark(Watermark watermark) {}

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}

    @Override
    public SourceOutput<RawEvent> createOutputForSplit(String splitId) {
      return this;
    }

    @Override
    public void releaseOutputForSplit(String splitId) {}
  }
}
