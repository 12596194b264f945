package io.ruleshift.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A sink writer's checkpointed state: the last message sequence number it used and the messages
 * it had published that the broker had not confirmed yet when the checkpoint was taken (a
 * restored writer publishes those again, with their ids, before anything else).
 */
record RmqSinkState(long sequence, List<RmqOutstanding.Entry> unconfirmed) {

  /**
   * Version 1 held the sequence alone (the writer then awaited every confirm before the
   * barrier); version 2 adds the unconfirmed messages. Header values are written as strings:
   * the jobs only set string headers (RabbitMqJob.deadLetterHeaders).
   */
  static final class Serializer implements SimpleVersionedSerializer<RmqSinkState> {
    @Override
    public int getVersion() {
      return 2;
    }

    @Override
    public byte[] serialize(RmqSinkState state) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeLong(state.sequence());
        out.writeInt(state.unconfirmed().size());
        for (RmqOutstanding.Entry entry : state.unconfirmed()) {
          RmqMessage message = entry.message();
          writeString(out, entry.id());
          writeString(out, message.exchange());
          writeString(out, message.routingKey());
          Map<String, Object> headers = message.headers();
          out.writeInt(headers == null ? -1 : headers.size());
          if (headers != null) {
            for (Map.Entry<String, Object> header : headers.entrySet()) {
              writeString(out, header.getKey());
              writeString(out, String.valueOf(header.getValue()));
            }
          }
          writeBytes(out, message.body());
        }
      }
      return bytes.toByteArray();
    }

    @Override
    public RmqSinkState deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1 && version != 2) {
        throw new IOException("unknown RabbitMQ sink state version " + version);
      }
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        long sequence = in.readLong();
        if (version == 1) return new RmqSinkState(sequence, List.of());
        int count = in.readInt();
        List<RmqOutstanding.Entry> unconfirmed = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          String id = readString(in);
          String exchange = readString(in);
          String routingKey = readString(in);
          int headerCount = in.readInt();
          Map<String, Object> headers = null;
          if (headerCount >= 0) {
            headers = new LinkedHashMap<>();
            for (int h = 0; h < headerCount; h++) headers.put(readString(in), readString(in));
          }
          byte[] body = readBytes(in);
          unconfirmed.add(new RmqOutstanding.Entry(id, new RmqMessage(exchange, routingKey, headers, body)));
        }
        return new RmqSinkState(sequence, unconfirmed);
      }
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
      writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String readString(DataInputStream in) throws IOException {
      return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
      out.writeInt(value.length);
      out.write(value);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
      byte[] value = new byte[in.readInt()];
      in.readFully(value);
      return value;
    }
  }
}
