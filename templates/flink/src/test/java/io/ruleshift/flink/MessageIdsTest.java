package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rabbitmq.client.AMQP;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Issue 7 defect 9: ids on the way in and out of a Flink rule. */
class MessageIdsTest {
  private static DeliveryKey key(AMQP.BasicProperties props, String body) {
    return DeliveryKey.of(props, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void distinctMessagesSharingACorrelationOrMessageIdHaveDistinctKeys() {
    AMQP.BasicProperties sameCorrelation = new AMQP.BasicProperties.Builder().correlationId("c1").build();
    AMQP.BasicProperties sameMessageId = new AMQP.BasicProperties.Builder().messageId("m1").build();
    assertNotEquals(key(sameCorrelation, "{\"v\":1}"), key(sameCorrelation, "{\"v\":2}"));
    assertNotEquals(key(sameMessageId, "{\"v\":3}"), key(sameMessageId, "{\"v\":4}"));
    // Without any id a message has no key: it is never dropped as a redelivery.
    assertNull(key(new AMQP.BasicProperties(), "{\"v\":5}"));
  }

  @Test
  void aRedeliveryOfTheSameMessageHasTheSameKey() {
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId("m1").build();
    assertEquals(key(props, "{\"v\":1}"), key(props, "{\"v\":1}"));
    // The correlation id wins over the message id, as before.
    AMQP.BasicProperties both = new AMQP.BasicProperties.Builder().correlationId("c").messageId("m1").build();
    AMQP.BasicProperties correlationOnly = new AMQP.BasicProperties.Builder().correlationId("c").build();
    assertEquals(key(both, "{}"), key(correlationOnly, "{}"));
  }

  @Test
  void outputAndDeadLetterSinksHaveSeparateIdSpaces() {
    String output = RmqSink.messageId("job", RabbitMqJob.OUTPUT_SINK, 0, 1);
    String deadLetter = RmqSink.messageId("job", RabbitMqJob.deadLetterSink(0), 0, 1);
    assertNotEquals(output, deadLetter);
    AMQP.BasicProperties props =
        RmqSinkWriter.propertiesFor(new RmqMessage("x", "rk", null, new byte[0]), output);
    assertEquals(output, props.getMessageId());
    assertEquals(output, props.getCorrelationId());
  }
}
