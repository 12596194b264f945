package io.ruleshift.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Publishes a stream to RabbitMQ (Sink V2): persistent messages on a confirm channel, confirms
 * awaited once per checkpoint in {@code flush}, before the barrier, so a checkpoint (and with it
 * the source's ack of the inputs before it) completes only after the broker has confirmed every
 * output they produced. A nack, a timeout or a lost connection fails the job, which restarts
 * from the last checkpoint (outputs are at-least-once).
 *
 * <p>Each message carries a message id and correlation id {@code <jobId>:<sink>:<subtask>:<seq>}
 * whose counter is the writer's checkpointed state, so an output replayed after a restore has the
 * id of the original and a consumer can deduplicate. The sink name keeps a job's output and
 * dead-letter sinks in separate id spaces.
 */
public final class RmqSink<T> implements Sink<T>, SupportsWriterState<T, Long> {
  private static final long serialVersionUID = 1L;

  private final RmqEndpoint endpoint;
  private final String jobId;
  private final String sinkName;
  private final RmqMessage.Mapper<T> mapper;

  public RmqSink(RmqEndpoint endpoint, String jobId, String sinkName, RmqMessage.Mapper<T> mapper) {
    this.endpoint = endpoint;
    this.jobId = jobId;
    this.sinkName = sinkName;
    this.mapper = mapper;
  }

  /** Unique per job, sink and subtask; the same again for an output replayed after a restore. */
  static String messageId(String jobId, String sinkName, int subtask, long sequence) {
    return jobId + ":" + sinkName + ":" + subtask + ":" + sequence;
  }

  @Override
  @Deprecated
  public StatefulSinkWriter<T, Long> createWriter(InitContext context) throws IOException {
    return writer(context.getTaskInfo().getIndexOfThisSubtask(), 0);
  }

  @Override
  public StatefulSinkWriter<T, Long> createWriter(WriterInitContext context) throws IOException {
    return writer(context.getTaskInfo().getIndexOfThisSubtask(), 0);
  }

  @Override
  public StatefulSinkWriter<T, Long> restoreWriter(
      WriterInitContext context, Collection<Long> recoveredState) throws IOException {
    long sequence = 0;
    for (Long restored : recoveredState) sequence = Math.max(sequence, restored);
    return writer(context.getTaskInfo().getIndexOfThisSubtask(), sequence);
  }

  private RmqSinkWriter<T> writer(int subtask, long sequence) throws IOException {
    String idPrefix = messageId(jobId, sinkName, subtask, 0);
    return new RmqSinkWriter<>(
        endpoint,
        "ruleshift-flink-sink-" + jobId + ":" + sinkName + ":" + subtask,
        idPrefix.substring(0, idPrefix.length() - 1),
        sequence,
        mapper);
  }

  @Override
  public SimpleVersionedSerializer<Long> getWriterStateSerializer() {
    return new SequenceSerializer();
  }

  /** The writer's state: the last sequence number it used. */
  static final class SequenceSerializer implements SimpleVersionedSerializer<Long> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(Long sequence) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(8);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeLong(sequence);
      }
      return bytes.toByteArray();
    }

    @Override
    public Long deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1) throw new IOException("unknown RabbitMQ sink state version " + version);
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        return in.readLong();
      }
    }
  }
}
