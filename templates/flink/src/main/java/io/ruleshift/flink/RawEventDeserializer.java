package io.ruleshift.flink;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.connectors.rabbitmq.RMQDeserializationSchema;

/**
 * Keeps every delivery as a {@link RawEvent}: parsing happens in the pipeline so a bad body
 * becomes a dead letter instead of failing the source. Every delivery is collected (the source
 * only acks what it collected).
 *
 * <p>Exactly-once dedup needs a unique correlation id per message. Without one the message id is
 * used, and without that a random id: the message is still processed, at-least-once.
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
    String id = properties.getCorrelationId();
    if (id == null) id = properties.getMessageId();
    if (id == null) id = "ruleshift-no-id-" + UUID.randomUUID();
    if (!out.setMessageIdentifiers(id, envelope.getDeliveryTag())) return; // a redelivered duplicate
    out.collect(new RawEvent(body, input, envelope.getExchange(), envelope.getRoutingKey()));
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
