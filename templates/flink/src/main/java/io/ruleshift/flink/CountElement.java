package io.ruleshift.flink;

/** One event a future count window still needs: its time and value (0 for "count"). */
public class CountElement {
  public long time;
  public double value;

  public CountElement() {}

  public CountElement(long time, double value) {
    this.time = time;
    this.value = value;
  }
}
