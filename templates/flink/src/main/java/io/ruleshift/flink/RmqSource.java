package io.ruleshift.flink;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * One input of a rule on queues the adapter declared (FLIP-27): a split per queue, a queue read
 * by one reader (so its order holds), inputs acked when the checkpoint that covers them
 * completes. Several queues are the partitions of one input ({@code connectors.inputQueues}):
 * partition {@code p} goes to reader {@code p % parallelism}.
 */
public final class RmqSource
    implements Source<RawEvent, RmqQueueSplit, List<RmqQueueSplit>>, ResultTypeQueryable<RawEvent> {
  private static final long serialVersionUID = 1L;

  final RmqEndpoint endpoint;
  final int input;
  final List<String> queues;
  final int prefetch;
  final String clientName;

  public RmqSource(RmqEndpoint endpoint, int input, List<String> queues, int prefetch, String clientName) {
    if (queues.isEmpty()) throw new IllegalArgumentException("an input needs at least one queue");
    this.endpoint = endpoint;
    this.input = input;
    this.queues = List.copyOf(queues);
    this.prefetch = prefetch;
    this.clientName = clientName;
  }

  List<RmqQueueSplit> initialSplits() {
    List<RmqQueueSplit> splits = new ArrayList<>();
    for (int p = 0; p < queues.size(); p++) splits.add(new RmqQueueSplit(input, p, queues.get(p), List.of()));
    return splits;
  }

  @Override
  public Boundedness getBoundedness() {
    return Boundedness.CONTINUOUS_UNBOUNDED;
  }

  @Override
  public SourceReader<RawEvent, RmqQueueSplit> createReader(SourceReaderContext context) {
    return new RmqSourceReader(endpoint, prefetch, clientName + ":" + context.getIndexOfSubtask());
  }

  @Override
  public SplitEnumerator<RmqQueueSplit, List<RmqQueueSplit>> createEnumerator(
      SplitEnumeratorContext<RmqQueueSplit> context) {
    return new RmqSplitEnumerator(context, initialSplits());
  }

  @Override
  public SplitEnumerator<RmqQueueSplit, List<RmqQueueSplit>> restoreEnumerator(
      SplitEnumeratorContext<RmqQueueSplit> context, List<RmqQueueSplit> unassigned) {
    return new RmqSplitEnumerator(context, unassigned);
  }

  @Override
  public SimpleVersionedSerializer<RmqQueueSplit> getSplitSerializer() {
    return RmqQueueSplitSerializer.INSTANCE;
  }

  @Override
  public SimpleVersionedSerializer<List<RmqQueueSplit>> getEnumeratorCheckpointSerializer() {
    return new RmqQueueSplitSerializer.Pending();
  }

  @Override
  public TypeInformation<RawEvent> getProducedType() {
    return TypeInformation.of(RawEvent.class);
  }
}
