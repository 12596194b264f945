package io.ruleshift.flink;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;

/**
 * Assigns each queue once, to a fixed reader ({@code partition % parallelism}), when that reader
 * registers; then tells it no more will come. A reader left without a queue finishes at once (and
 * so holds back no watermark). Splits a failed reader held come back and go to it again.
 */
final class RmqSplitEnumerator implements SplitEnumerator<RmqQueueSplit, List<RmqQueueSplit>> {
  private final SplitEnumeratorContext<RmqQueueSplit> context;
  private final List<RmqQueueSplit> unassigned;

  RmqSplitEnumerator(SplitEnumeratorContext<RmqQueueSplit> context, List<RmqQueueSplit> unassigned) {
    this.context = context;
    this.unassigned = new ArrayList<>(unassigned);
  }

  static int ownerOf(RmqQueueSplit split, int parallelism) {
    return split.partition() % parallelism;
  }

  @Override
  public void start() {}

  @Override
  public void addReader(int subtask) {
    List<RmqQueueSplit> mine = new ArrayList<>();
    for (Iterator<RmqQueueSplit> it = unassigned.iterator(); it.hasNext(); ) {
      RmqQueueSplit split = it.next();
      if (ownerOf(split, context.currentParallelism()) == subtask) {
        mine.add(split);
        it.remove();
      }
    }
    if (!mine.isEmpty()) context.assignSplits(new SplitsAssignment<>(Map.of(subtask, mine)));
    context.signalNoMoreSplits(subtask);
  }

  @Override
  public void addSplitsBack(List<RmqQueueSplit> splits, int subtask) {
    unassigned.addAll(splits);
    if (context.registeredReaders().containsKey(subtask)) addReader(subtask);
  }

  @Override
  public void handleSplitRequest(int subtask, String requesterHostname) {}

  @Override
  public List<RmqQueueSplit> snapshotState(long checkpointId) {
    return List.copyOf(unassigned);
  }

  @Override
  public void close() {}
}
