package io.ruleshift.flink;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Micro-benchmark of the sink writer alone (not a test; bench/README.md says how to run it):
 * writes {@code events} JSON events as fast as the task thread can into a durable queue on the
 * real RabbitMQ, calling {@code flush} and {@code snapshotState} every {@code intervalMs} as a
 * checkpoint would, and prints events/s and the time spent in those checkpoint calls.
 *
 * <pre>java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.ruleshift.flink.RmqSinkThroughput 200000 1000</pre>
 */
public final class RmqSinkThroughput {
  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    long intervalMs = args.length > 1 ? Long.parseLong(args[1]) : 1000;
    String queue = "flink-sink-bench-" + UUID.randomUUID();
    try (Connection admin = RmqConnections.open(TestBroker.ENDPOINT, "sink-bench-admin")) {
      Channel channel = admin.createChannel();
      channel.queueDeclare(queue, true, false, false, null);
      try {
        RmqSinkWriter<byte[]> writer =
            new RmqSinkWriter<>(
                TestBroker.ENDPOINT, "sink-bench", "bench:out:0:", 0, RabbitMqJob.outputs("", queue));
        long checkpointNanos = 0;
        long maxCheckpointNanos = 0;
        int checkpoints = 0;
        long started = System.nanoTime();
        long nextCheckpoint = started + intervalMs * 1_000_000;
        for (int i = 0; i < events; i++) {
          byte[] body =
              ("{\"deviceId\":\"d-" + (i % 100) + "\",\"temperature\":" + (i % 50) + ",\"seq\":" + i + "}")
                  .getBytes(StandardCharsets.UTF_8);
          writer.write(body, null);
          if ((i & 255) == 0 && System.nanoTime() >= nextCheckpoint) {
            long t0 = System.nanoTime();
            writer.flush(false);
            writer.snapshotState(++checkpoints);
            long spent = System.nanoTime() - t0;
            checkpointNanos += spent;
            maxCheckpointNanos = Math.max(maxCheckpointNanos, spent);
            nextCheckpoint = System.nanoTime() + intervalMs * 1_000_000;
          }
        }
        writer.flush(true);
        long elapsed = System.nanoTime() - started;
        writer.close();
        System.out.printf(
            "events=%d interval=%dms: %.0f events/s (until all confirmed), %d checkpoints, %.0f ms in flush+snapshot (max %.0f ms)%n",
            events,
            intervalMs,
            events / (elapsed / 1e9),
            checkpoints,
            checkpointNanos / 1e6,
            maxCheckpointNanos / 1e6);
      } finally {
        channel.queueDelete(queue);
      }
    }
  }
}
