package io.ruleshift.flink;

import com.rabbitmq.client.AMQP;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The identity of a delivery for the source's redelivery check: the first 128 bits of a SHA-256
 * over the message's correlation id (else its message id) and its body, so distinct messages
 * that share an id are never taken for each other. A message with neither id has no key and is
 * never dropped (at-least-once for it across a restore). 16 bytes per unacked delivery is what
 * a checkpoint holds.
 */
public record DeliveryKey(long high, long low) {

  /** Null when the message carries neither a correlation id nor a message id. */
  static DeliveryKey of(AMQP.BasicProperties properties, byte[] body) {
    String id = properties.getCorrelationId();
    if (id == null) id = properties.getMessageId();
    if (id == null) return null;
    MessageDigest sha = sha256();
    sha.update(id.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    ByteBuffer digest = ByteBuffer.wrap(sha.digest(body));
    return new DeliveryKey(digest.getLong(), digest.getLong());
  }

  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is part of every JVM", e);
            }
          });

  private static MessageDigest sha256() {
    MessageDigest sha = SHA256.get();
    sha.reset();
    return sha;
  }
}
