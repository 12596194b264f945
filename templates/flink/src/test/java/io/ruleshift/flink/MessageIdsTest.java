package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.connectors.rabbitmq.RMQDeserializationSchema.RMQCollector;
import org.junit.jupiter.api.Test;

/** Issue 7 defect 9: ids on the way in and out of a Flink rule. */
class MessageIdsTest {
  /** RMQSource's collector as far as ids go: a second delivery with a known id is dropped. */
  static final class DedupingCollector implements RMQCollector<RawEvent> {
    final Set<String> ids = new HashSet<>();
    final List<RawEvent> collected = new ArrayList<>();

    @Override
    public boolean setMessageIdentifiers(String correlationId, long deliveryTag) {
      return ids.add(correlationId);
    }

    @Override
    public void collect(RawEvent record) {
      collected.add(record);
    }

    @Override
    public void close() {}
  }

  private static void deliver(DedupingCollector out, AMQP.BasicProperties props, String body, long tag) {
    new RawEventDeserializer(0)
        .deserialize(
            new Envelope(tag, false, "in", "rk"),
            props,
            body.getBytes(StandardCharsets.UTF_8),
            out);
  }

  @Test
  void distinctMessagesSharingACorrelationOrMessageIdAreAllProcessed() {
    DedupingCollector out = new DedupingCollector();
    AMQP.BasicProperties sameCorrelation = new AMQP.BasicProperties.Builder().correlationId("c1").build();
    AMQP.BasicProperties sameMessageId = new AMQP.BasicProperties.Builder().messageId("m1").build();
    deliver(out, sameCorrelation, "{\"v\":1}", 1);
    deliver(out, sameCorrelation, "{\"v\":2}", 2);
    deliver(out, sameMessageId, "{\"v\":3}", 3);
    deliver(out, sameMessageId, "{\"v\":4}", 4);
    deliver(out, new AMQP.BasicProperties(), "{\"v\":5}", 5);
    deliver(out, new AMQP.BasicProperties(), "{\"v\":5}", 6);
    assertEquals(6, out.collected.size());
  }

  @Test
  void aRedeliveryOfTheSameMessageIsStillRecognised() {
    DedupingCollector out = new DedupingCollector();
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId("m1").build();
    deliver(out, props, "{\"v\":1}", 1);
    deliver(out, props, "{\"v\":1}", 2);
    assertEquals(1, out.collected.size());
  }

  @Test
  void outputAndDeadLetterSinksHaveSeparateIdSpaces() {
    String output = ConfirmingRmqSink.messageId("job", RabbitMqJob.OUTPUT_SINK, 0, 1);
    String deadLetter = ConfirmingRmqSink.messageId("job", RabbitMqJob.deadLetterSink(0), 0, 1);
    assertNotEquals(output, deadLetter);
    AMQP.BasicProperties props =
        ConfirmingRmqSink.propertiesFor(new RmqMessage("x", "rk", null, new byte[0]), output);
    assertEquals(output, props.getMessageId());
    assertEquals(output, props.getCorrelationId());
  }
}
