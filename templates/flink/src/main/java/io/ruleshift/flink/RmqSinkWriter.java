package io.ruleshift.flink;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;

/** One subtask of {@link RmqSink}: publishes without waiting, awaits the confirms in flush. */
final class RmqSinkWriter<T> implements StatefulSinkWriter<T, Long> {
  static final long CONFIRM_TIMEOUT_MS = 60_000;

  private final RmqMessage.Mapper<T> mapper;
  private final String idPrefix;
  private final Connection connection;
  private final Channel channel;
  private long sequence;
  private boolean unconfirmed;

  RmqSinkWriter(
      RmqEndpoint endpoint, String clientName, String idPrefix, long sequence, RmqMessage.Mapper<T> mapper)
      throws IOException {
    this.mapper = mapper;
    this.idPrefix = idPrefix;
    this.sequence = sequence;
    try {
      connection = RmqConnections.open(endpoint, clientName);
    } catch (TimeoutException e) {
      throw new IOException("RabbitMQ connection timed out", e);
    }
    channel = connection.createChannel();
    channel.confirmSelect();
  }

  @Override
  public void write(T element, Context context) throws IOException {
    RmqMessage message = mapper.map(element);
    channel.basicPublish(
        message.exchange(), message.routingKey(), propertiesFor(message, idPrefix + (++sequence)), message.body());
    unconfirmed = true;
  }

  static AMQP.BasicProperties propertiesFor(RmqMessage message, String id) {
    return new AMQP.BasicProperties.Builder()
        .deliveryMode(2)
        .contentType("application/json")
        .messageId(id)
        .correlationId(id)
        .headers(message.headers())
        .build();
  }

  /** Before every checkpoint barrier and at the end of input: everything sent is confirmed. */
  @Override
  public void flush(boolean endOfInput) throws IOException, InterruptedException {
    if (!unconfirmed) return;
    try {
      channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
    } catch (TimeoutException e) {
      throw new IOException("RabbitMQ did not confirm the outputs within " + CONFIRM_TIMEOUT_MS + " ms", e);
    }
    unconfirmed = false;
  }

  @Override
  public List<Long> snapshotState(long checkpointId) {
    return List.of(sequence);
  }

  @Override
  public void close() throws Exception {
    if (connection.isOpen()) {
      try {
        connection.close(5000);
      } catch (IOException alreadyClosing) {
        // nothing left to release
      }
    }
  }
}
