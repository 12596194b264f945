package io.ruleshift.flink;

import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One queue of an input (a partition, when the input has several): read by one reader, so its
 * order is kept. {@code unacked} holds the keys of deliveries the job has processed but the
 * broker has not seen acked yet (acks go out when the checkpoint that covers them completes):
 * after a restore, a redelivery with one of these keys is already in the restored state and is
 * dropped.
 */
public record RmqQueueSplit(int input, int partition, String queue, List<DeliveryKey> unacked)
    implements SourceSplit {

  public RmqQueueSplit {
    unacked = List.copyOf(unacked);
  }

  @Override
  public String splitId() {
    return input + ":" + partition + ":" + queue;
  }
}
