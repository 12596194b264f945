package io.ruleshift.flink;

import java.util.ArrayList;
import java.util.List;

/**
 * The messages a sink writer published that the broker has not confirmed yet, in publish order.
 * The writer adds on the task thread; the connection's thread removes on {@code basic.ack} and
 * records a {@code basic.nack} or a lost connection as the writer's failure. A ring of entries
 * indexed by publish sequence number: no per-message allocation beyond the entry itself, and an
 * ack with {@code multiple} is a walk from the head.
 *
 * <p>A nacked message is never removed: it stays in every checkpoint until the job fails over it
 * and republishes it from the restored state.
 */
final class RmqOutstanding {
  /** One published message: its id (for the consumer's dedup) and what to publish again. */
  record Entry(String id, RmqMessage message) {}

  private final int capacity;
  private Entry[] ring = new Entry[1024]; // guarded by this
  private boolean[] confirmed = new boolean[1024]; // guarded by this
  private long headSeq = 1; // publish sequence number of ring[head]; guarded by this
  private int head; // guarded by this
  private int size; // guarded by this
  private volatile Throwable failure;

  /** At most {@code capacity} unconfirmed messages: {@link #add} waits for room beyond that. */
  RmqOutstanding(int capacity) {
    this.capacity = capacity;
  }

  /** Task thread, right before the publish: waits while {@code capacity} are unconfirmed. */
  synchronized void add(Entry entry, long timeoutMs) throws java.io.IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (size >= capacity && failure == null) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        throw new java.io.IOException(
            "RabbitMQ confirmed none of the oldest " + capacity + " outputs within " + timeoutMs + " ms");
      }
      wait(left);
    }
    throwIfFailed();
    if (size == ring.length) grow();
    int slot = (head + size) % ring.length;
    ring[slot] = entry;
    confirmed[slot] = false;
    size++;
  }

  /** Connection thread: {@code basic.ack} for {@code seq}, or for every message up to it. */
  synchronized void ack(long seq, boolean multiple) {
    if (multiple) {
      while (size > 0 && headSeq <= seq) pop();
    } else if (seq >= headSeq && seq < headSeq + size) {
      confirmed[(head + (int) (seq - headSeq)) % ring.length] = true;
    }
    while (size > 0 && confirmed[head]) pop();
    notifyAll();
  }

  /** Connection thread: the broker refused {@code seq} (or every message up to it). */
  void nack(long seq, boolean multiple) {
    fail(
        new java.io.IOException(
            "RabbitMQ refused output " + (multiple ? "messages up to " : "message ") + seq));
  }

  /** Connection thread: the connection or channel ended without the writer asking. */
  void fail(Throwable cause) {
    synchronized (this) {
      if (failure == null) failure = cause;
      notifyAll();
    }
  }

  void throwIfFailed() throws java.io.IOException {
    Throwable cause = failure;
    if (cause != null) {
      throw new java.io.IOException("RabbitMQ output failed: " + cause.getMessage(), cause);
    }
  }

  synchronized int size() {
    return size;
  }

  /** Publish sequence number of the oldest unconfirmed message, or the next one when none is. */
  synchronized long oldestSeq() {
    return headSeq;
  }

  /** Waits until every message is confirmed; false when {@code timeoutMs} passed first. */
  synchronized boolean awaitEmpty(long timeoutMs) throws java.io.IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (size > 0) {
      throwIfFailed();
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) return false;
      wait(left);
    }
    throwIfFailed();
    return true;
  }

  /** The unconfirmed messages, oldest first (for the checkpoint). */
  synchronized List<Entry> snapshot() {
    List<Entry> entries = new ArrayList<>(size);
    for (int i = 0; i < size; i++) entries.add(ring[(head + i) % ring.length]);
    return entries;
  }

  private void pop() {
    ring[head] = null;
    head = (head + 1) % ring.length;
    headSeq++;
    size--;
  }

  private void grow() {
    Entry[] bigger = new Entry[ring.length * 2];
    boolean[] biggerConfirmed = new boolean[bigger.length];
    for (int i = 0; i < size; i++) {
      bigger[i] = ring[(head + i) % ring.length];
      biggerConfirmed[i] = confirmed[(head + i) % ring.length];
    }
    ring = bigger;
    confirmed = biggerConfirmed;
    head = 0;
  }
}
