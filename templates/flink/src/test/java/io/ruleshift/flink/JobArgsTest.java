package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class JobArgsTest {
  private static final String CONFIG =
      "{\"jobId\":\"j1\",\"jobType\":\"window-join\",\"templateVersion\":\"1.0.0\","
          + "\"deadLetterExchange\":\"ruleshift.dlx\",\"jobProps\":{\"a\":1},"
          + "\"connectors\":{\"inputEndpoint\":\"edge\",\"inputExchange\":\"in\",\"inputQueue\":\"q\","
          + "\"inputRoutingKey\":\"rk\",\"outputEndpoint\":\"amqp://h:5672/core\",\"outputExchange\":\"out\","
          + "\"outputRoutingKey\":\"ork\",\"prefetch\":100,\"secondInput\":{\"endpoint\":\"amqp://other:5672/v\","
          + "\"exchange\":\"in2\",\"queue\":\"q2\",\"routingKey\":\"rk2\"}}}";

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheRuleConfigAndBrokers() {
    JobArgs args =
        JobArgs.parse(
            new String[] {
              "--config-base64", base64(CONFIG),
              "--broker", "edge=amqp://u:p@e:5672/edge",
              "--broker", "amqp://h:5672/core=amqp://u:p@h:5672/core?heartbeat=10",
            });
    RuleConfig config = args.config();
    assertEquals("j1", config.jobId());
    assertEquals(2, config.connectors().inputs().size());
    assertEquals("q2", config.connectors().inputs().get(1).queues().get(0));
    assertEquals(100, config.connectors().prefetch());
    assertEquals(1, config.jobProps().get("a").intValue());
    assertEquals(JobArgs.DEFAULT_CHECKPOINT_INTERVAL_MS, args.checkpointIntervalMs());
    assertEquals(false, args.restoredOutputsConfirmed());
    assertEquals(
        true,
        JobArgs.parse(new String[] {"--config-base64", base64(CONFIG), "--restored-outputs-confirmed"})
            .restoredOutputsConfirmed());
    assertEquals("amqp://u:p@e:5672/edge", args.brokerUri("edge"));
    // A URL endpoint takes its credentials from the --broker entry named by that URL...
    assertEquals("amqp://u:p@h:5672/core?heartbeat=10", args.brokerUri("amqp://h:5672/core"));
    // ...and connects as-is without one.
    assertEquals("amqp://other:5672/v", args.brokerUri("amqp://other:5672/v"));
    assertThrows(IllegalArgumentException.class, () -> args.brokerUri("core"));
  }

  @Test
  void partitionedInputAndParallelism() {
    String config =
        CONFIG
            .replace("\"inputQueue\":\"q\",", "\"inputQueue\":\"q\",\"inputQueues\":[\"q.0\",\"q.1\",\"q.2\"],")
            .replace("{\"jobId\"", "{\"parallelism\":3,\"jobId\"");
    RuleConfig parsed = JobArgs.parse(new String[] {"--config-base64", base64(config)}).config();
    assertEquals(java.util.List.of("q.0", "q.1", "q.2"), parsed.connectors().inputs().get(0).queues());
    assertEquals(java.util.List.of("q2"), parsed.connectors().inputs().get(1).queues());
    assertEquals(3, parsed.parallelism());
    assertEquals(1, JobArgs.parse(new String[] {"--config-base64", base64(CONFIG)}).config().parallelism());
    assertEquals(
        java.util.List.of("q"),
        JobArgs.parse(new String[] {"--config-base64", base64(CONFIG)}).config().connectors().inputs().get(0).queues());
  }

  @Test
  void refusesBadPartitionsOrParallelismNamingTheField() {
    for (String bad : new String[] {"[]", "\"q.0\"", "[1]", "[\"\"]"}) {
      String config = CONFIG.replace("\"inputQueue\":\"q\",", "\"inputQueue\":\"q\",\"inputQueues\":" + bad + ",");
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> JobArgs.parse(new String[] {"--config-base64", base64(config)}));
      assertTrue(e.getMessage().contains("connectors.inputQueues"), e.getMessage());
    }
    for (String bad : new String[] {"0", "-1", "1.5", "\"2\""}) {
      String config = CONFIG.replace("{\"jobId\"", "{\"parallelism\":" + bad + ",\"jobId\"");
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> JobArgs.parse(new String[] {"--config-base64", base64(config)}));
      assertTrue(e.getMessage().contains("parallelism"), e.getMessage());
    }
  }

  @Test
  void tlsFilesArePathsForEveryBroker() {
    JobArgs args =
        JobArgs.parse(
            new String[] {
              "--config-base64", base64(CONFIG),
              "--broker", "edge=amqps://u:p@e:5671/edge",
              "--tls-ca-file", "/etc/ca.pem",
              "--tls-cert-file", "/etc/client.pem",
              "--tls-key-file", "/etc/client.key",
            });
    RmqEndpoint edge = args.endpoint("edge");
    assertTrue(edge.usesTls());
    assertEquals(new BrokerTls("/etc/ca.pem", "/etc/client.pem", "/etc/client.key"), edge.tls());
    assertThrows(
        IllegalArgumentException.class,
        () -> JobArgs.parse(new String[] {"--config-base64", base64(CONFIG), "--tls-cert-file", "/etc/client.pem"}));
  }

  @Test
  void rejectsMissingOrUnknownArguments() {
    assertThrows(IllegalArgumentException.class, () -> JobArgs.parse(new String[] {}));
    assertThrows(
        IllegalArgumentException.class,
        () -> JobArgs.parse(new String[] {"--config-base64", base64(CONFIG), "--nope"}));
    assertThrows(
        IllegalArgumentException.class,
        () -> JobArgs.parse(new String[] {"--config-base64", base64("{\"jobId\":\"x\"}")}));
  }
}
