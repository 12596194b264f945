package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A parallel event-time window rule whose events all land in one partition queue: the other
 * partition's subtask sees nothing, and its watermark must not hold back the windows (the job
 * as RabbitMqJob builds it, on a MiniCluster against the real RabbitMQ).
 */
class IdlePartitionWatermarkTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  @Test
  void anIdlePartitionDoesNotHoldBackTheWindowsOfTheBusyOne() throws Exception {
    try (TestBroker broker = new TestBroker()) {
      String busy = broker.queue("in.0");
      String idle = broker.queue("in.1");
      String collector = broker.queue("out");
      String outputExchange = broker.prefix + ".out";
      broker.channel.exchangeDeclare(outputExchange, "direct", false, true, null);
      broker.channel.queueBind(collector, outputExchange, "windows");
      // Key "a", one event every 100 ms of event time from 0 to 2,900: windows [0,1000) and
      // [1000,2000) are complete once the busy partition's watermark passes them.
      for (int t = 0; t < 3000; t += 100) broker.publish(busy, "e" + t, "{\"k\":\"a\",\"t\":" + t + "}");
      broker.confirmed();

      String config =
          "{\"parallelism\":2,\"jobId\":\"idle-test\",\"jobType\":\"window-aggregation\","
              + "\"jobProps\":{\"aggregate\":\"count\",\"window\":{\"kind\":\"tumbling\",\"sizeMs\":1000},"
              + "\"timeFieldJsonPath\":\"$.t\",\"groupByJsonPath\":\"$.k\",\"maxOutOfOrdernessMs\":0,"
              + "\"allowedLatenessMs\":0,\"maxKeys\":1000},"
              + "\"connectors\":{\"inputEndpoint\":\"edge\",\"inputExchange\":\"in\",\"inputQueue\":\"" + busy + "\","
              + "\"inputQueues\":[\"" + busy + "\",\"" + idle + "\"],"
              + "\"outputEndpoint\":\"edge\",\"outputExchange\":\"" + outputExchange + "\","
              + "\"outputRoutingKey\":\"windows\"}}";
      JobArgs args =
          JobArgs.parse(
              new String[] {
                "--config-base64",
                Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8)),
                "--broker",
                "edge=" + TestBroker.URI,
                "--checkpoint-interval-ms",
                "500",
              });
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      RabbitMqJob.build(env, args, WindowAggregationJob::buildPipeline);
      JobClient job = env.executeAsync("idle partition");
      try {
        List<GetResponse> windows = broker.take(collector, 2, 60_000);
        assertEquals(2, windows.size(), "windows fired");
        for (int i = 0; i < 2; i++) {
          JsonNode window = Json.parse(new String(windows.get(i).getBody(), StandardCharsets.UTF_8));
          assertFalse(window.isMissingNode());
          assertEquals(10, window.get("value").intValue(), window.toString());
          assertEquals(i * 1000L, window.get("windowStart").longValue(), window.toString());
        }
      } finally {
        job.cancel().get();
      }
    }
  }
}
