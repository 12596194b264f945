package io.ruleshift.flink;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;

/**
 * Publishes persistent messages on a confirm channel and waits for every outstanding confirm in
 * {@link #snapshotState}: a checkpoint (and so the source's ack of the inputs before it) only
 * completes once the broker has confirmed all outputs published before its barrier. A nack or a
 * timeout fails the checkpoint, the job restarts from the last one and unacked inputs are
 * redelivered (outputs are at-least-once; RMQSink has no confirms at all).
 *
 * <p>Each message carries a message id and correlation id {@code <jobId>:<sink>:<subtask>:<seq>}
 * whose counter is checkpointed, so a consumer downstream can deduplicate replays. The sink name
 * keeps the output and dead-letter sinks of one job in separate id spaces.
 */
public final class ConfirmingRmqSink<T> extends RichSinkFunction<T> implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;
  private static final long CONFIRM_TIMEOUT_MS = 60_000;

  private final String brokerUri;
  private final String jobId;
  private final String sinkName;
  private final RmqMessage.Mapper<T> mapper;

  private transient Connection connection;
  private transient Channel channel;
  private transient ListState<Long> sequenceState;
  private transient long sequence;
  private transient int subtask;

  public ConfirmingRmqSink(
      String brokerUri, String jobId, String sinkName, RmqMessage.Mapper<T> mapper) {
    this.brokerUri = brokerUri;
    this.jobId = jobId;
    this.sinkName = sinkName;
    this.mapper = mapper;
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    sequenceState =
        context
            .getOperatorStateStore()
            .getUnionListState(new ListStateDescriptor<>("publish-sequence", Long.class));
    sequence = 0;
    for (Long restored : sequenceState.get()) sequence = Math.max(sequence, restored);
  }

  @Override
  public void open(OpenContext openContext) throws Exception {
    subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(brokerUri);
    // A silent reconnect would lose track of unconfirmed messages: fail and restart instead.
    factory.setAutomaticRecoveryEnabled(false);
    factory.setTopologyRecoveryEnabled(false);
    connection = factory.newConnection("ruleshift-flink-sink-" + jobId);
    channel = connection.createChannel();
    channel.confirmSelect();
  }

  @Override
  public void invoke(T value, Context context) throws Exception {
    RmqMessage message = mapper.map(value);
    AMQP.BasicProperties properties = propertiesFor(message, messageId(jobId, sinkName, subtask, ++sequence));
    channel.basicPublish(message.exchange(), message.routingKey(), properties, message.body());
  }

  /** Unique per job, sink and subtask; the same again for an output replayed after a restore. */
  static String messageId(String jobId, String sinkName, int subtask, long sequence) {
    return jobId + ":" + sinkName + ":" + subtask + ":" + sequence;
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

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    awaitConfirms();
    sequenceState.update(java.util.List.of(sequence));
  }

  /** End of a bounded input or stop --drain: everything sent must be confirmed. */
  @Override
  public void finish() throws Exception {
    awaitConfirms();
  }

  @Override
  public void close() throws Exception {
    try {
      if (channel != null && channel.isOpen()) channel.close();
    } catch (TimeoutException ignored) {
      // closing anyway
    } finally {
      if (connection != null && connection.isOpen()) connection.close();
    }
  }

  private void awaitConfirms() throws Exception {
    if (channel != null) channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
  }
}
