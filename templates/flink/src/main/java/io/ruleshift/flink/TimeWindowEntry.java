package io.ruleshift.flink;

/** One time window of one key as a snapshot carries it: bounds and running aggregate. */
public class TimeWindowEntry {
  /** Group-by value as JSON text ({@link KeyText}). */
  public String key;
  public long start;
  public long end;
  public Accumulator accumulator;

  public TimeWindowEntry() {}

  public TimeWindowEntry(String key, long start, long end, Accumulator accumulator) {
    this.key = key;
    this.start = start;
    this.end = end;
    this.accumulator = accumulator;
  }
}
