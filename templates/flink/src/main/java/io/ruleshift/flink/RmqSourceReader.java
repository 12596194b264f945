package io.ruleshift.flink;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.core.io.InputStatus;

/**
 * Reads the queues assigned to one subtask over one connection (a channel and a consumer per
 * queue). RabbitMQ pushes deliveries on the client's thread into a hand-off queue; the task
 * thread takes them in {@link #pollNext}. Prefetch bounds the hand-off: the broker sends no more
 * than {@code prefetch} unacked deliveries per queue, and acks come only when a checkpoint
 * completes, one {@code basic.ack multiple} per queue and checkpoint.
 */
final class RmqSourceReader implements SourceReader<RawEvent, RmqQueueSplit> {
  /** A delivery on its way from the client's thread to the task thread. */
  record Delivery(RmqQueueConsumer from, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {}

  private final RmqEndpoint endpoint;
  private final int prefetch;
  private final String clientName;
  private final Map<String, RmqQueueConsumer> consumers = new LinkedHashMap<>();
  private Connection connection;
  private boolean noMoreSplits;

  private final Object lock = new Object();
  private final ArrayDeque<Delivery> handoff = new ArrayDeque<>(); // guarded by lock
  private CompletableFuture<Void> available = new CompletableFuture<>(); // guarded by lock
  private Throwable failure; // guarded by lock

  RmqSourceReader(RmqEndpoint endpoint, int prefetch, String clientName) {
    this.endpoint = endpoint;
    this.prefetch = prefetch;
    this.clientName = clientName;
  }

  @Override
  public void start() {}

  @Override
  public void addSplits(List<RmqQueueSplit> splits) {
    try {
      if (connection == null) {
        connection = RmqConnections.open(endpoint, clientName);
        connection.addShutdownListener(
            cause -> {
              if (!cause.isInitiatedByApplication()) fail(cause);
            });
      }
      for (RmqQueueSplit split : splits) {
        RmqQueueConsumer consumer = new RmqQueueConsumer(split, connection.createChannel(), this);
        consumers.put(split.splitId(), consumer);
        consumer.start(prefetch);
      }
    } catch (IOException | TimeoutException e) {
      throw new IllegalStateException("cannot consume from RabbitMQ: " + e.getMessage(), e);
    }
  }

  @Override
  public void notifyNoMoreSplits() {
    noMoreSplits = true;
    wake();
  }

  @Override
  public InputStatus pollNext(ReaderOutput<RawEvent> output) throws Exception {
    Delivery delivery;
    synchronized (lock) {
      if (failure != null) throw new IOException("RabbitMQ consumer failed: " + failure.getMessage(), failure);
      delivery = handoff.poll();
      if (delivery == null) {
        if (noMoreSplits && consumers.isEmpty()) return InputStatus.END_OF_INPUT;
        if (available.isDone()) available = new CompletableFuture<>();
        return InputStatus.NOTHING_AVAILABLE;
      }
    }
    delivery.from().emit(delivery, output);
    return InputStatus.MORE_AVAILABLE;
  }

  @Override
  public CompletableFuture<Void> isAvailable() {
    synchronized (lock) {
      if (!handoff.isEmpty() || failure != null || (noMoreSplits && consumers.isEmpty())) {
        return CompletableFuture.completedFuture(null);
      }
      return available;
    }
  }

  /** Called on the client's thread for every delivery. */
  void offer(Delivery delivery) {
    CompletableFuture<Void> toComplete;
    synchronized (lock) {
      handoff.add(delivery);
      toComplete = available;
    }
    toComplete.complete(null);
  }

  /** The connection or a consumer ended without us asking: the task fails and restarts. */
  void fail(Throwable cause) {
    synchronized (lock) {
      if (failure == null) failure = cause;
    }
    wake();
  }

  private void wake() {
    CompletableFuture<Void> toComplete;
    synchronized (lock) {
      toComplete = available;
    }
    toComplete.complete(null);
  }

  @Override
  public List<RmqQueueSplit> snapshotState(long checkpointId) {
    List<RmqQueueSplit> state = new ArrayList<>(consumers.size());
    for (RmqQueueConsumer consumer : consumers.values()) state.add(consumer.snapshot(checkpointId));
    return state;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    for (RmqQueueConsumer consumer : consumers.values()) consumer.checkpointComplete(checkpointId);
  }

  @Override
  public void close() throws Exception {
    // Unacked deliveries go back to their queues, in order, when the connection closes.
    if (connection != null && connection.isOpen()) {
      try {
        connection.close(5000);
      } catch (IOException alreadyClosing) {
        // nothing left to release
      }
    }
  }
}
