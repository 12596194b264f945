package io.ruleshift.flink;

import java.io.IOException;
import org.apache.flink.streaming.connectors.rabbitmq.RMQDeserializationSchema;
import org.apache.flink.streaming.connectors.rabbitmq.RMQSource;
import org.apache.flink.streaming.connectors.rabbitmq.common.RMQConnectionConfig;

/**
 * RMQSource on a queue the adapter already declared. The stock source re-declares the queue with
 * default arguments, which fails when the adapter declared it with others; a passive declare
 * only checks that it exists.
 */
public final class ExistingQueueRmqSource extends RMQSource<RawEvent> {
  private static final long serialVersionUID = 1L;

  public ExistingQueueRmqSource(
      RMQConnectionConfig config, String queueName, RMQDeserializationSchema<RawEvent> schema) {
    super(config, queueName, true, schema);
  }

  @Override
  protected void setupQueue() throws IOException {
    channel.queueDeclarePassive(queueName);
  }
}
