package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.GetResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FLIP-27 source over a partitioned input (connectors.inputQueues) on a MiniCluster against
 * the real RabbitMQ: parallelism 4 over 4 partition queues, so 4 source subtasks each read one
 * queue; every event once, each key's events in order; the inputs acked once a checkpoint (here
 * the stop savepoint) covered them.
 */
class RmqPartitionedSourceTest {
  private static final int PARTITIONS = 4;
  private static final int KEYS = 40;
  private static final int EVENTS_PER_KEY = 50;

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(PARTITIONS)
              .build());

  @TempDir Path savepoints;

  /** The event, tagged with the source subtask that read it (chained: same subtask). */
  static final class TagWithSubtask extends RichMapFunction<RawEvent, byte[]> {
    @Override
    public byte[] map(RawEvent event) {
      ObjectNode out = (ObjectNode) Json.parse(new String(event.body, java.nio.charset.StandardCharsets.UTF_8));
      out.put("subtask", getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
      return Json.bytes(out);
    }
  }

  @Test
  void eachPartitionQueueIsReadByItsOwnSubtaskInOrder() throws Exception {
    try (TestBroker broker = new TestBroker()) {
      List<String> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) partitions.add(broker.queue("in." + p));
      String collector = broker.queue("out");
      for (int seq = 0; seq < EVENTS_PER_KEY; seq++) {
        for (int key = 0; key < KEYS; key++) {
          broker.publish(
              partitions.get(key % PARTITIONS),
              "k" + key + "-" + seq,
              "{\"key\":" + key + ",\"seq\":" + seq + "}");
        }
      }
      broker.confirmed();

      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setParallelism(PARTITIONS);
      env.enableCheckpointing(200);
      env.fromSource(
              new RmqSource(TestBroker.ENDPOINT, 0, partitions, 100, "test-source"),
              WatermarkStrategy.noWatermarks(),
              "rmq-in")
          .uid("rmq-source-0")
          .map(new TagWithSubtask())
          .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
          .sinkTo(new RmqSink<>(TestBroker.ENDPOINT, "test", "out", RabbitMqJob.outputs("", collector)))
          .uid("rmq-output-sink");
      JobClient job = env.executeAsync("partitioned source");

      int total = KEYS * EVENTS_PER_KEY;
      List<GetResponse> outputs = broker.take(collector, total, 120_000);
      job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
          .get();

      assertEquals(total, outputs.size());
      Map<Integer, Integer> lastSeqOfKey = new HashMap<>();
      Map<Integer, Integer> subtaskOfKey = new HashMap<>();
      Set<Integer> subtasks = new HashSet<>();
      for (GetResponse response : outputs) {
        JsonNode event = Json.parse(new String(response.getBody(), java.nio.charset.StandardCharsets.UTF_8));
        int key = event.get("key").intValue();
        int seq = event.get("seq").intValue();
        int subtask = event.get("subtask").intValue();
        // In order per key: each key's sequence arrives 0, 1, 2, ... with nothing twice.
        assertEquals(lastSeqOfKey.getOrDefault(key, -1) + 1, seq, "order of key " + key);
        lastSeqOfKey.put(key, seq);
        // Partition p is read by subtask p % parallelism, and only by it.
        assertEquals(key % PARTITIONS, subtask, "subtask of key " + key);
        subtaskOfKey.put(key, subtask);
        subtasks.add(subtask);
      }
      assertEquals(KEYS, lastSeqOfKey.size());
      assertEquals(Set.of(0, 1, 2, 3), subtasks);
      // The stop savepoint completed after every event was read: all were acked, none requeued.
      for (String partition : partitions) assertEquals(0, broker.ready(partition), partition);
    }
  }

  @Test
  void aReaderWithoutAQueueFinishesAndTheJobStillStopsWithASavepoint() throws Exception {
    try (TestBroker broker = new TestBroker()) {
      List<String> partitions = List.of(broker.queue("in.0"), broker.queue("in.1"));
      String collector = broker.queue("out");
      for (int i = 0; i < 100; i++) broker.publish(partitions.get(i % 2), "e" + i, "{\"key\":" + i + ",\"seq\":0}");
      broker.confirmed();

      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.setParallelism(3); // one reader more than there are queues
      env.enableCheckpointing(200);
      env.fromSource(
              new RmqSource(TestBroker.ENDPOINT, 0, partitions, 100, "test-source"),
              WatermarkStrategy.noWatermarks(),
              "rmq-in")
          .uid("rmq-source-0")
          .map(new TagWithSubtask())
          .returns(PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
          .sinkTo(new RmqSink<>(TestBroker.ENDPOINT, "test", "out", RabbitMqJob.outputs("", collector)))
          .uid("rmq-output-sink");
      JobClient job = env.executeAsync("more readers than queues");

      List<GetResponse> outputs = broker.take(collector, 100, 120_000);
      stopWithSavepointOnceNoTaskIsFinishing(job);
      assertEquals(100, outputs.size());
      Set<Integer> subtasks = new HashSet<>();
      for (GetResponse response : outputs) {
        subtasks.add(Json.parse(new String(response.getBody(), java.nio.charset.StandardCharsets.UTF_8)).get("subtask").intValue());
      }
      assertEquals(Set.of(0, 1), subtasks);
      for (String partition : partitions) assertEquals(0, broker.ready(partition), partition);
    }
  }

  /**
   * A savepoint triggered while the reader without a queue is finishing is declined ("task is
   * closing"); once it has finished, checkpoints and the stop savepoint include it as finished.
   */
  private void stopWithSavepointOnceNoTaskIsFinishing(JobClient job) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        if (attempt >= 20 || !String.valueOf(e.getMessage()).contains("task is closing")) throw e;
      }
    }
  }
}
