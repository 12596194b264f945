package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.Test;

/**
 * The source reader against the real RabbitMQ, driven as Flink's SourceOperator drives it:
 * inputs are acked only when a checkpoint that covers them completes, and after a restore the
 * redeliveries the restored checkpoint already holds are dropped, the others processed.
 */
class RmqSourceReaderTest {
  /** What the reader emitted, as bodies. */
  static final class Collected implements ReaderOutput<RawEvent> {
    final List<String> bodies = new ArrayList<>();

    @Override
    public void collect(RawEvent record) {
      bodies.add(new String(record.body, StandardCharsets.UTF_8));
    }

    @Override
    public void collect(RawEvent record, long timestamp) {
      collect(record);
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

  /** Polls until {@code n} records in all were emitted (the sentinel-free way: by count). */
  static void pollUntil(RmqSourceReader reader, Collected out, int n) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (out.bodies.size() < n) {
      if (System.currentTimeMillis() > deadline) throw new AssertionError("only " + out.bodies);
      if (reader.pollNext(out) == InputStatus.NOTHING_AVAILABLE) {
        reader.isAvailable().get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void acksAtCompletedCheckpointsAndDropsRedeliveriesTheRestoredStateHolds() throws Exception {
    try (TestBroker broker = new TestBroker()) {
      String queue = broker.queue("in");
      for (int i = 0; i < 5; i++) broker.publish(queue, "m" + i, "{\"n\":" + i + "}");
      broker.confirmed();
      RmqQueueSplit split = new RmqQueueSplit(0, 0, queue, List.of());

      // First run: m0..m2 before checkpoint 1, m3 and m4 after it; then a crash (no ack).
      RmqSourceReader first = new RmqSourceReader(TestBroker.ENDPOINT, 100, "test-first");
      Collected firstOut = new Collected();
      first.addSplits(List.of(split));
      pollUntil(first, firstOut, 3);
      List<RmqQueueSplit> checkpoint1 = first.snapshotState(1);
      pollUntil(first, firstOut, 5);
      assertEquals(List.of("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}"), firstOut.bodies);
      assertEquals(3, checkpoint1.get(0).unacked().size());
      first.close();

      // Restored from checkpoint 1: m0..m2 come back and are dropped, m3 and m4 are processed.
      RmqSourceReader second = new RmqSourceReader(TestBroker.ENDPOINT, 100, "test-second");
      Collected secondOut = new Collected();
      second.addSplits(checkpoint1);
      broker.publish(queue, "m5", "{\"n\":5}");
      broker.confirmed();
      pollUntil(second, secondOut, 3);
      assertEquals(List.of("{\"n\":3}", "{\"n\":4}", "{\"n\":5}"), secondOut.bodies);

      // Checkpoint 2 completes: everything delivered so far is acked, nothing comes back.
      second.snapshotState(2);
      second.notifyCheckpointComplete(2);
      second.close();
      assertEquals(0, broker.ready(queue));
    }
  }

  @Test
  void withoutACompletedCheckpointNothingIsAcked() throws Exception {
    try (TestBroker broker = new TestBroker()) {
      String queue = broker.queue("in");
      for (int i = 0; i < 3; i++) broker.publish(queue, "m" + i, "{\"n\":" + i + "}");
      broker.confirmed();
      RmqSourceReader reader = new RmqSourceReader(TestBroker.ENDPOINT, 100, "test-noack");
      Collected out = new Collected();
      reader.addSplits(List.of(new RmqQueueSplit(0, 0, queue, List.of())));
      pollUntil(reader, out, 3);
      reader.snapshotState(1); // taken, never completed
      reader.close();
      assertEquals(3, broker.ready(queue));
    }
  }
}
