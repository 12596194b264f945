package io.ruleshift.flink;

import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;

final class Streams {
  private Streams() {}

  /** All inputs as one stream; a single input is returned as is (keeps operator chaining). */
  @SuppressWarnings("unchecked")
  static DataStream<RawEvent> union(List<DataStream<RawEvent>> inputs) {
    if (inputs.isEmpty()) throw new IllegalArgumentException("a job needs at least one input");
    DataStream<RawEvent> first = inputs.get(0);
    if (inputs.size() == 1) return first;
    return first.union(inputs.subList(1, inputs.size()).toArray(new DataStream[0]));
  }
}
