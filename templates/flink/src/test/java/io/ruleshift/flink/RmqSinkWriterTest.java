package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Sink V2 writer against the real RabbitMQ. */
class RmqSinkWriterTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void publishesPersistentMessagesWithIdsThatContinueTheRestoredSequence() throws Exception {
    try (TestBroker broker = new TestBroker()) {
      String collector = broker.queue("out");
      RmqSinkWriter<byte[]> writer =
          new RmqSinkWriter<>(TestBroker.ENDPOINT, "test-sink", "job:out:0:", 5, RabbitMqJob.outputs("", collector));
      writer.write(bytes("{\"a\":1}"), null);
      writer.write(bytes("{\"a\":2}"), null);
      writer.write(bytes("{\"a\":3}"), null);
      writer.flush(false); // waits for the broker's confirms
      assertEquals(List.of(8L), writer.snapshotState(1));
      writer.close();

      List<GetResponse> got = broker.take(collector, 3, 10_000);
      assertEquals(3, got.size());
      for (int i = 0; i < 3; i++) {
        GetResponse response = got.get(i);
        assertEquals("{\"a\":" + (i + 1) + "}", new String(response.getBody(), StandardCharsets.UTF_8));
        assertEquals("job:out:0:" + (6 + i), response.getProps().getMessageId());
        assertEquals("job:out:0:" + (6 + i), response.getProps().getCorrelationId());
        assertEquals(2, response.getProps().getDeliveryMode());
      }
    }
  }

  @Test
  void aPublishTheBrokerRefusesFailsTheFlush() throws Exception {
    try (TestBroker broker = new TestBroker()) {
      RmqSinkWriter<byte[]> writer =
          new RmqSinkWriter<>(
              TestBroker.ENDPOINT,
              "test-sink-refused",
              "job:out:0:",
              0,
              body -> new RmqMessage(broker.prefix + ".no-such-exchange", "rk", null, body));
      writer.write(bytes("{}"), null);
      assertThrows(Exception.class, () -> writer.flush(false));
      writer.close();
    }
  }
}
