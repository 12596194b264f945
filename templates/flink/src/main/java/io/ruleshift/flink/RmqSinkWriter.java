package io.ruleshift.flink;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;

/**
 * One subtask of {@link RmqSink}. Publishes without waiting; the broker's confirms are taken on
 * the connection's thread by a confirm listener that removes them from {@link RmqOutstanding}.
 * A checkpoint does not wait for confirms: the messages still unconfirmed at the barrier are in
 * the writer's state, and a writer restored from it publishes them again (same ids) first.
 *
 * <p>Fails the task (so the job restarts from its last checkpoint) on a {@code basic.nack}, a
 * lost connection, {@link #MAX_UNCONFIRMED} messages left unconfirmed for {@link
 * #CONFIRM_TIMEOUT_MS}, or the oldest unconfirmed message not confirmed within that time. At the
 * end of input and at close (a stop with savepoint) it waits until every message is confirmed.
 */
final class RmqSinkWriter<T> implements StatefulSinkWriter<T, RmqSinkState> {
  static final long CONFIRM_TIMEOUT_MS = 60_000;
  /** Bounds the memory and the checkpoint size of the unconfirmed messages per subtask. */
  static final int MAX_UNCONFIRMED = 100_000;

  private final RmqMessage.Mapper<T> mapper;
  private final String idPrefix;
  private final Connection connection;
  private final Channel channel;
  private final RmqOutstanding outstanding;
  /** Reused for every message; only the task thread publishes. */
  private final AMQP.BasicProperties.Builder properties =
      new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("application/json");
  private long sequence;
  private long stalledSeq = -1;
  private long stalledSinceMs;

  RmqSinkWriter(
      RmqEndpoint endpoint, String clientName, String idPrefix, long sequence, RmqMessage.Mapper<T> mapper)
      throws IOException {
    this(endpoint, clientName, idPrefix, new RmqSinkState(sequence, List.of()), mapper, MAX_UNCONFIRMED);
  }

  RmqSinkWriter(
      RmqEndpoint endpoint,
      String clientName,
      String idPrefix,
      RmqSinkState restored,
      RmqMessage.Mapper<T> mapper,
      int maxUnconfirmed)
      throws IOException {
    this.mapper = mapper;
    this.idPrefix = idPrefix;
    this.sequence = restored.sequence();
    this.outstanding = new RmqOutstanding(maxUnconfirmed);
    try {
      connection = RmqConnections.open(endpoint, clientName);
    } catch (TimeoutException e) {
      throw new IOException("RabbitMQ connection timed out", e);
    }
    channel = connection.createChannel();
    channel.confirmSelect();
    channel.addConfirmListener(outstanding::ack, outstanding::nack);
    channel.addShutdownListener(
        cause -> {
          if (!cause.isInitiatedByApplication()) outstanding.fail(cause);
        });
    try {
      for (RmqOutstanding.Entry entry : restored.unconfirmed()) publish(entry);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while publishing the restored outputs", e);
    }
  }

  @Override
  public void write(T element, Context context) throws IOException, InterruptedException {
    publish(new RmqOutstanding.Entry(idPrefix + (sequence + 1), mapper.map(element)));
    sequence++;
  }

  private void publish(RmqOutstanding.Entry entry) throws IOException, InterruptedException {
    // Tracked before the publish, so a confirm that comes back at once finds it.
    outstanding.add(entry, CONFIRM_TIMEOUT_MS);
    RmqMessage message = entry.message();
    channel.basicPublish(
        message.exchange(),
        message.routingKey(),
        properties.messageId(entry.id()).correlationId(entry.id()).headers(message.headers()).build(),
        message.body());
  }

  /**
   * Before every checkpoint barrier: no wait, only the failures seen so far and the confirm
   * timeout. At the end of input: everything sent is confirmed.
   */
  @Override
  public void flush(boolean endOfInput) throws IOException, InterruptedException {
    if (endOfInput) {
      awaitConfirms();
      return;
    }
    outstanding.throwIfFailed();
    long oldest = outstanding.oldestSeq();
    long now = System.currentTimeMillis();
    if (outstanding.size() == 0 || oldest != stalledSeq) {
      stalledSeq = oldest;
      stalledSinceMs = now;
    } else if (now - stalledSinceMs > CONFIRM_TIMEOUT_MS) {
      throw new IOException(
          "RabbitMQ did not confirm output " + oldest + " within " + CONFIRM_TIMEOUT_MS + " ms");
    }
  }

  private void awaitConfirms() throws IOException, InterruptedException {
    if (!outstanding.awaitEmpty(CONFIRM_TIMEOUT_MS)) {
      throw new IOException(
          "RabbitMQ did not confirm the outputs within " + CONFIRM_TIMEOUT_MS + " ms");
    }
  }

  /**
   * Holds a refused message too: Flink calls {@link #flush} before this, which fails the
   * checkpoint once a nack was seen, and a checkpoint that still completes with it publishes it
   * again on restore.
   */
  @Override
  public List<RmqSinkState> snapshotState(long checkpointId) {
    return List.of(new RmqSinkState(sequence, outstanding.snapshot()));
  }

  /** Unconfirmed messages now, for tests. */
  int unconfirmed() {
    return outstanding.size();
  }

  @Override
  public void close() throws Exception {
    try {
      // A stop with savepoint closes without an end of input: its outputs are confirmed before
      // the job ends FINISHED, or the close fails and the stop ends FAILED (the driver then
      // restarts from the savepoint and publishes the unconfirmed outputs again).
      if (connection.isOpen()) {
        awaitConfirms();
      } else {
        outstanding.throwIfFailed();
        int left = outstanding.size();
        if (left > 0) {
          throw new IOException("the RabbitMQ connection closed with " + left + " outputs unconfirmed");
        }
      }
    } finally {
      if (connection.isOpen()) {
        try {
          connection.close(5000);
        } catch (IOException alreadyClosing) {
          // nothing left to release
        }
      }
    }
  }

  /** For tests: the connection ends as a broker or network failure would end it. */
  void abortConnection() {
    connection.abort();
  }
}
