package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    assertEquals("q2", config.connectors().inputs().get(1).queue());
    assertEquals(100, config.connectors().prefetch());
    assertEquals(1, config.jobProps().get("a").intValue());
    assertEquals(JobArgs.DEFAULT_CHECKPOINT_INTERVAL_MS, args.checkpointIntervalMs());
    assertEquals("amqp://u:p@e:5672/edge", args.brokerUri("edge"));
    // A URL endpoint takes its credentials from the --broker entry named by that URL...
    assertEquals("amqp://u:p@h:5672/core?heartbeat=10", args.brokerUri("amqp://h:5672/core"));
    // ...and connects as-is without one.
    assertEquals("amqp://other:5672/v", args.brokerUri("amqp://other:5672/v"));
    assertThrows(IllegalArgumentException.class, () -> args.brokerUri("core"));
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
