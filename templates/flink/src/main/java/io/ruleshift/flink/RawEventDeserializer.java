package io.ruleshift.flink;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.connectors.rabbitmq.RMQDeserializationSchema;

/**
 * Keeps every delivery as a {@link RawEvent}: parsing happens in the pipeline so a bad body
 * becomes a dead letter instead of failing the source. Every delivery is collected (the source
 * only acks what it collected).
 *
 * <p>The source drops a delivery whose id it already saw in a checkpoint not yet acked (an
 * input redelivered after a restore). That id is the message's correlation id or message id
 * together with a hash of its body, so distinct messages that share an id are never dropped; a
 * message without either id gets a random one (processed, at-least-once across a restore).
 */
public final class RawEventDeserializer implements RMQDeserializationSchema<RawEvent> {
  private static final long serialVersionUID = 1L;
  private final int input;

  public RawEventDeserializer(int input) {
    this.input = input;
  }

  @Override
  public void deserialize(
      Envelope envelope, AMQP.BasicProperties properties, byte[] body, RMQCollector<RawEvent> out) {
    if (!out.setMessageIdentifiers(dedupId(properties, body), envelope.getDeliveryTag())) {
      return; // a redelivered duplicate
    }
    out.collect(new RawEvent(body, input, envelope.getExchange(), envelope.getRoutingKey()));
  }

  /** The identity of a delivery for the source's redelivery check (see the class comment). */
  static String dedupId(AMQP.BasicProperties properties, byte[] body) {
    String id = properties.getCorrelationId();
    if (id == null) id = properties.getMessageId();
    if (id == null) return "ruleshift-no-id-" + UUID.randomUUID();
    return id + "#" + sha256(body);
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  @Override
  public boolean isEndOfStream(RawEvent nextElement) {
    return false;
  }

  @Override
  public TypeInformation<RawEvent> getProducedType() {
    return TypeInformation.of(RawEvent.class);
  }
}
