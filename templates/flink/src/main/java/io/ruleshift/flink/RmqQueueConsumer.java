package io.ruleshift.flink;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.connector.source.ReaderOutput;

/**
 * One queue (split) of a reader: its channel and consumer, and what is delivered but not yet
 * acked. Everything but {@link #handleDelivery} runs on the task thread.
 *
 * <p>Exactly-once for the state: a delivery is acked only once a checkpoint taken after it has
 * completed. Until then its {@link DeliveryKey} is in every checkpoint, so after a restore its
 * redelivery (flagged {@code redelivered}) is recognised and dropped; it is then acked with the
 * next completed checkpoint. RabbitMQ puts requeued messages back at their original place, ahead
 * of any never-delivered one, so the first delivery not flagged as redelivered ends the check.
 */
final class RmqQueueConsumer extends DefaultConsumer {
  /** Deliveries up to {@code lastTag} were emitted (or dropped) before checkpoint {@code id}. */
  private record Pending(long checkpointId, long lastTag, List<DeliveryKey> keys) {}

  private final RmqQueueSplit split;
  private final RmqSourceReader reader;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final Set<DeliveryKey> restored;
  private List<DeliveryKey> sinceSnapshot = new ArrayList<>();
  private long lastTag;
  private long ackedTag;

  RmqQueueConsumer(RmqQueueSplit split, Channel channel, RmqSourceReader reader) {
    super(channel);
    this.split = split;
    this.reader = reader;
    this.restored = new HashSet<>(split.unacked());
  }

  void start(int prefetch) throws IOException {
    // Passive: the adapter declared the queue with its own arguments; only check it exists.
    getChannel().queueDeclarePassive(split.queue());
    getChannel().basicQos(prefetch);
    getChannel().basicConsume(split.queue(), false, this);
  }

  @Override
  public void handleDelivery(
      String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
    reader.offer(new RmqSourceReader.Delivery(this, envelope, properties, body));
  }

  @Override
  public void handleCancel(String consumerTag) {
    reader.fail(new IOException("the broker cancelled the consumer of queue " + split.queue()));
  }

  @Override
  public void handleShutdownSignal(String consumerTag, ShutdownSignalException cause) {
    if (!cause.isInitiatedByApplication()) reader.fail(cause);
  }

  /** Task thread: emit the delivery unless it is a redelivery the restored state already holds. */
  void emit(RmqSourceReader.Delivery delivery, ReaderOutput<RawEvent> output) {
    Envelope envelope = delivery.envelope();
    lastTag = envelope.getDeliveryTag();
    DeliveryKey key = DeliveryKey.of(delivery.properties(), delivery.body());
    boolean duplicate = false;
    if (!restored.isEmpty()) {
      if (!envelope.isRedeliver()) restored.clear();
      else duplicate = key != null && restored.remove(key);
    }
    // A dropped duplicate stays in the checkpoints until acked: it may be redelivered again.
    if (key != null) sinceSnapshot.add(key);
    if (duplicate) return;
    output.collect(
        new RawEvent(delivery.body(), split.input(), envelope.getExchange(), envelope.getRoutingKey()));
  }

  RmqQueueSplit snapshot(long checkpointId) {
    pending.add(new Pending(checkpointId, lastTag, sinceSnapshot));
    sinceSnapshot = new ArrayList<>();
    List<DeliveryKey> unacked = new ArrayList<>(restored);
    for (Pending p : pending) unacked.addAll(p.keys());
    return new RmqQueueSplit(split.input(), split.partition(), split.queue(), unacked);
  }

  void checkpointComplete(long checkpointId) throws IOException {
    long upTo = ackedTag;
    while (!pending.isEmpty() && pending.peek().checkpointId() <= checkpointId) {
      upTo = Math.max(upTo, pending.poll().lastTag());
    }
    if (upTo > ackedTag) {
      getChannel().basicAck(upTo, true);
      ackedTag = upTo;
    }
  }
}
