package io.ruleshift.flink;

/** Running count/sum/min/max of one window and key: all the window state an aggregation keeps. */
public class Accumulator {
  public long count;
  public double sum;
  public double min = Double.POSITIVE_INFINITY;
  public double max = Double.NEGATIVE_INFINITY;
  /** Event-time span of the events seen (count windows report it as their bounds). */
  public long firstTimestamp = Long.MAX_VALUE;
  public long lastTimestamp = Long.MIN_VALUE;

  public Accumulator() {}

  public void add(double value, long timestamp) {
    count++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
    firstTimestamp = Math.min(firstTimestamp, timestamp);
    lastTimestamp = Math.max(lastTimestamp, timestamp);
  }

  public Accumulator merge(Accumulator other) {
    Accumulator merged = new Accumulator();
    merged.count = count + other.count;
    merged.sum = sum + other.sum;
    merged.min = Math.min(min, other.min);
    merged.max = Math.max(max, other.max);
    merged.firstTimestamp = Math.min(firstTimestamp, other.firstTimestamp);
    merged.lastTimestamp = Math.max(lastTimestamp, other.lastTimestamp);
    return merged;
  }

  public double result(WindowAggregationProps.Aggregate aggregate) {
    return switch (aggregate) {
      case COUNT -> count;
      case SUM -> sum;
      case AVG -> sum / count;
      case MIN -> min;
      case MAX -> max;
    };
  }
}
