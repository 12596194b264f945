package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * The contract with the adapter for partitioned input: {@code connectors.inputQueues} and the
 * top-level {@code parallelism} shape the job RabbitMqJob builds (not executed here; the source
 * reading its partitions is RmqPartitionedSourceTest).
 */
class RabbitMqJobGraphTest {
  private static final String WINDOW_PROPS =
      "{\"aggregate\":\"count\",\"window\":{\"kind\":\"tumbling\",\"sizeMs\":1000},"
          + "\"timeFieldJsonPath\":\"$.t\",\"groupByJsonPath\":\"$.k\",\"maxOutOfOrdernessMs\":0,"
          + "\"allowedLatenessMs\":0,\"maxKeys\":1000}";
  private static final String FILTER_PROPS =
      "{\"condition\":\">\",\"threshold\":1,\"fieldName\":\"v\",\"fieldJsonPath\":\"$.v\"}";

  /** A RuleConfig, with the top-level parallelism and connectors.inputQueues when given. */
  private static String config(String jobType, String props, Integer parallelism, String inputQueues) {
    return "{"
        + (parallelism != null ? "\"parallelism\":" + parallelism + "," : "")
        + "\"jobId\":\"j\",\"jobType\":\"" + jobType + "\",\"jobProps\":" + props + ","
        + "\"connectors\":{\"inputEndpoint\":\"edge\",\"inputExchange\":\"in\",\"inputQueue\":\"q\","
        + (inputQueues != null ? "\"inputQueues\":" + inputQueues + "," : "")
        + "\"outputEndpoint\":\"edge\",\"outputExchange\":\"out\"}}";
  }

  /** Parallelism of every node, by uid (or name when it has none). */
  private static Map<String, Integer> parallelismByUid(String configJson, PipelineBuilder builder) {
    JobArgs args =
        JobArgs.parse(
            new String[] {
              "--config-base64",
              Base64.getEncoder().encodeToString(configJson.getBytes(StandardCharsets.UTF_8)),
              "--broker",
              "edge=amqp://u:p@127.0.0.1:5672/edge",
            });
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    RabbitMqJob.build(env, args, builder);
    Map<String, Integer> byUid = new HashMap<>();
    for (StreamNode node : env.getStreamGraph().getStreamNodes()) {
      byUid.put(node.getTransformationUID() != null ? node.getTransformationUID() : node.getOperatorName(), node.getParallelism());
    }
    return byUid;
  }

  @Test
  void partitionQueuesAndParallelismShapeTheWindowJob() {
    Map<String, Integer> p =
        parallelismByUid(
            config("window-aggregation", WINDOW_PROPS, 4, "[\"q.0\",\"q.1\",\"q.2\",\"q.3\"]"),
            WindowAggregationJob::buildPipeline);
    assertEquals(4, p.get("rmq-source-0"));
    assertEquals(4, p.get("extract"));
    assertEquals(4, p.get("watermarks"));
    assertEquals(1, p.get("key-limit")); // maxKeys counts keys across all key groups
    assertEquals(4, p.get("window"));
    assertEquals(4, p.get("rmq-output-sink"));
  }

  @Test
  void theFilterRunsAtTheRulesParallelism() {
    Map<String, Integer> p =
        parallelismByUid(
            config("filter", FILTER_PROPS, 2, "[\"q.0\",\"q.1\"]"),
            FilterJob::buildPipeline);
    assertEquals(2, p.get("rmq-source-0"));
    assertEquals(2, p.get("filter"));
    assertEquals(2, p.get("rmq-output-sink"));
  }

  @Test
  void withoutEitherFieldARuleRunsAtParallelismOne() {
    Map<String, Integer> p = parallelismByUid(config("filter", FILTER_PROPS, null, null), FilterJob::buildPipeline);
    assertEquals(1, p.get("rmq-source-0"));
    assertEquals(1, p.get("filter"));
    assertEquals(1, p.get("rmq-output-sink"));
  }
}
