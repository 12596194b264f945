package io.ruleshift.flink;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Publishes a stream to RabbitMQ (Sink V2): persistent messages on a confirm channel whose
 * confirms a listener takes as they come ({@link RmqSinkWriter}). A checkpoint never waits for
 * them: the messages still unconfirmed at the barrier are part of the writer's checkpointed
 * state, so once a checkpoint completes (and the source acks the inputs before it) every output
 * those inputs produced is either confirmed by the broker or in that checkpoint, and a job
 * restored from it publishes them again. A nack, a confirm timeout or a lost connection fails the
 * job, which restarts from the last checkpoint (outputs are at-least-once).
 *
 * <p>Each message carries a message id and correlation id {@code <jobId>:<sink>:<subtask>:<seq>}
 * whose counter is the writer's checkpointed state, so an output replayed after a restore (from
 * the restored unconfirmed messages or by the replayed inputs) has the id of the original and a
 * consumer can deduplicate. The sink name keeps a job's output and dead-letter sinks in separate
 * id spaces.
 */
public final class RmqSink<T> implements Sink<T>, SupportsWriterState<T, RmqSinkState> {
  private static final long serialVersionUID = 1L;

  private final RmqEndpoint endpoint;
  private final String jobId;
  private final String sinkName;
  private final RmqMessage.Mapper<T> mapper;
  private final boolean restoredOutputsConfirmed;

  /** A sink whose restored writers publish the unconfirmed outputs of their state again. */
  public RmqSink(RmqEndpoint endpoint, String jobId, String sinkName, RmqMessage.Mapper<T> mapper) {
    this(endpoint, jobId, sinkName, mapper, false);
  }

  /**
   * {@code restoredOutputsConfirmed}: the job starts from the savepoint of a stop that ended
   * FINISHED (see {@link JobArgs}); its writers' close() saw every output confirmed, so a restored
   * writer keeps the sequence and drops the unconfirmed list instead of publishing it again.
   */
  public RmqSink(
      RmqEndpoint endpoint,
      String jobId,
      String sinkName,
      RmqMessage.Mapper<T> mapper,
      boolean restoredOutputsConfirmed) {
    this.endpoint = endpoint;
    this.jobId = jobId;
    this.sinkName = sinkName;
    this.mapper = mapper;
    this.restoredOutputsConfirmed = restoredOutputsConfirmed;
  }

  /** Unique per job, sink and subtask; the same again for an output replayed after a restore. */
  static String messageId(String jobId, String sinkName, int subtask, long sequence) {
    return jobId + ":" + sinkName + ":" + subtask + ":" + sequence;
  }

  @Override
  @Deprecated
  public StatefulSinkWriter<T, RmqSinkState> createWriter(InitContext context) throws IOException {
    return writer(context.getTaskInfo().getIndexOfThisSubtask(), new RmqSinkState(0, List.of()));
  }

  @Override
  public StatefulSinkWriter<T, RmqSinkState> createWriter(WriterInitContext context) throws IOException {
    return writer(context.getTaskInfo().getIndexOfThisSubtask(), new RmqSinkState(0, List.of()));
  }

  @Override
  public StatefulSinkWriter<T, RmqSinkState> restoreWriter(
      WriterInitContext context, Collection<RmqSinkState> recoveredState) throws IOException {
    return writer(
        context.getTaskInfo().getIndexOfThisSubtask(),
        restoredState(recoveredState, restoredOutputsConfirmed));
  }

  /**
   * Continues after the highest sequence restored and publishes every restored unconfirmed
   * message again (after a rescale a writer may get the state of several former subtasks), unless
   * {@code outputsConfirmed}: then none (they were confirmed when the stop closed the writers).
   */
  static RmqSinkState restoredState(Collection<RmqSinkState> recoveredState, boolean outputsConfirmed) {
    long sequence = 0;
    List<RmqOutstanding.Entry> unconfirmed = new ArrayList<>();
    for (RmqSinkState restored : recoveredState) {
      sequence = Math.max(sequence, restored.sequence());
      if (!outputsConfirmed) unconfirmed.addAll(restored.unconfirmed());
    }
    return new RmqSinkState(sequence, unconfirmed);
  }

  /** The writer of one subtask, as Flink creates or restores it (package-private for tests). */
  RmqSinkWriter<T> writer(int subtask, RmqSinkState state) throws IOException {
    String idPrefix = messageId(jobId, sinkName, subtask, 0);
    return new RmqSinkWriter<>(
        endpoint,
        "ruleshift-flink-sink-" + jobId + ":" + sinkName + ":" + subtask,
        idPrefix.substring(0, idPrefix.length() - 1),
        state,
        mapper,
        RmqSinkWriter.MAX_UNCONFIRMED);
  }

  @Override
  public SimpleVersionedSerializer<RmqSinkState> getWriterStateSerializer() {
    return new RmqSinkState.Serializer();
  }
}
