package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

  /** The ids of the messages a job's output and dead-letter sinks actually publish (real RabbitMQ). */
  @Test
  void outputAndDeadLetterSinksHaveSeparateIdSpaces() throws Exception {
    try (TestBroker broker = new TestBroker()) {
      String collector = broker.queue("out");
      for (String sinkName : List.of(RabbitMqJob.OUTPUT_SINK, RabbitMqJob.deadLetterSink(0))) {
        RmqSinkWriter<byte[]> writer =
            new RmqSink<>(TestBroker.ENDPOINT, "job", sinkName, RabbitMqJob.outputs("", collector))
                .writer(0, new RmqSinkState(0, List.of()));
        writer.write("{}".getBytes(StandardCharsets.UTF_8), null);
        writer.flush(true);
        writer.close();
      }
      List<GetResponse> got = broker.take(collector, 2, 10_000);
      assertEquals(2, got.size());
      String output = got.get(0).getProps().getMessageId();
      String deadLetter = got.get(1).getProps().getMessageId();
      assertEquals(RmqSink.messageId("job", RabbitMqJob.OUTPUT_SINK, 0, 1), output);
      assertEquals(RmqSink.messageId("job", RabbitMqJob.deadLetterSink(0), 0, 1), deadLetter);
      assertNotEquals(output, deadLetter);
      assertEquals(output, got.get(0).getProps().getCorrelationId());
      assertEquals(deadLetter, got.get(1).getProps().getCorrelationId());
    }
  }
}
