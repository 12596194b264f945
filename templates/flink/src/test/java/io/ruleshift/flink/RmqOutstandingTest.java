package io.ruleshift.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The sink's confirm tracking as the connection thread drives it (logic only). */
class RmqOutstandingTest {
  private static RmqOutstanding.Entry entry(String id) {
    return new RmqOutstanding.Entry(id, new RmqMessage("x", "rk", null, new byte[0]));
  }

  private static List<String> ids(RmqOutstanding outstanding) {
    return outstanding.snapshot().stream().map(RmqOutstanding.Entry::id).toList();
  }

  @Test
  void singleAcksOutOfOrderAndMultipleAcksLeaveOnlyTheUnconfirmed() throws Exception {
    RmqOutstanding outstanding = new RmqOutstanding(10_000);
    for (int i = 1; i <= 3000; i++) outstanding.add(entry("m" + i), 1000); // grows the ring
    outstanding.ack(2, false);
    assertEquals(3000, outstanding.size()); // 1 is still unconfirmed
    outstanding.ack(1, false);
    assertEquals(2998, outstanding.size());
    assertEquals(3, outstanding.oldestSeq());
    outstanding.ack(5, false);
    outstanding.ack(2999, true);
    assertEquals(List.of("m3000"), ids(outstanding));
    outstanding.ack(3000, false);
    assertTrue(outstanding.awaitEmpty(0));
    assertEquals(3001, outstanding.oldestSeq()); // the next one, none unconfirmed
  }

  @Test
  void aNackFailsAndKeepsTheMessage() throws Exception {
    RmqOutstanding outstanding = new RmqOutstanding(100);
    outstanding.add(entry("a"), 1000);
    outstanding.add(entry("b"), 1000);
    outstanding.ack(1, false);
    outstanding.nack(2, false);
    assertEquals(List.of("b"), ids(outstanding));
    IOException failed = assertThrows(IOException.class, outstanding::throwIfFailed);
    assertTrue(failed.getMessage().contains("refused output message 2"), failed.getMessage());
    assertThrows(IOException.class, () -> outstanding.add(entry("c"), 1000));
    assertThrows(IOException.class, () -> outstanding.awaitEmpty(1000));
  }

  @Test
  void aFullWindowWaitsForAConfirm() throws Exception {
    RmqOutstanding outstanding = new RmqOutstanding(2);
    outstanding.add(entry("a"), 1000);
    outstanding.add(entry("b"), 1000);
    CompletableFuture<Void> third =
        CompletableFuture.runAsync(
            () -> {
              try {
                outstanding.add(entry("c"), 60_000);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertFalse(outstanding.awaitEmpty(0));
    outstanding.ack(1, false); // makes room
    third.get();
    assertEquals(List.of("b", "c"), ids(outstanding));
  }

  @Test
  void aFullWindowThatNothingConfirmsTimesOut() throws Exception {
    RmqOutstanding outstanding = new RmqOutstanding(1);
    outstanding.add(entry("a"), 1000);
    IOException timedOut = assertThrows(IOException.class, () -> outstanding.add(entry("b"), 50));
    assertTrue(timedOut.getMessage().contains("confirmed none"), timedOut.getMessage());
  }
}
