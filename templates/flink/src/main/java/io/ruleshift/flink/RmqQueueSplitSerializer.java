package io.ruleshift.flink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Checkpoint form of a split, and of the enumerator's list of splits not yet assigned. */
public final class RmqQueueSplitSerializer implements SimpleVersionedSerializer<RmqQueueSplit> {
  static final RmqQueueSplitSerializer INSTANCE = new RmqQueueSplitSerializer();

  @Override
  public int getVersion() {
    return 1;
  }

  @Override
  public byte[] serialize(RmqQueueSplit split) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 16 * split.unacked().size());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      write(split, out);
    }
    return bytes.toByteArray();
  }

  @Override
  public RmqQueueSplit deserialize(int version, byte[] serialized) throws IOException {
    if (version != 1) throw new IOException("unknown RabbitMQ split version " + version);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
      return read(in);
    }
  }

  static void write(RmqQueueSplit split, DataOutputStream out) throws IOException {
    out.writeInt(split.input());
    out.writeInt(split.partition());
    out.writeUTF(split.queue());
    out.writeInt(split.unacked().size());
    for (DeliveryKey key : split.unacked()) {
      out.writeLong(key.high());
      out.writeLong(key.low());
    }
  }

  static RmqQueueSplit read(DataInputStream in) throws IOException {
    int input = in.readInt();
    int partition = in.readInt();
    String queue = in.readUTF();
    int n = in.readInt();
    List<DeliveryKey> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) keys.add(new DeliveryKey(in.readLong(), in.readLong()));
    return new RmqQueueSplit(input, partition, queue, keys);
  }

  /** The enumerator's checkpoint: the splits no reader holds yet. */
  static final class Pending implements SimpleVersionedSerializer<List<RmqQueueSplit>> {
    @Override
    public int getVersion() {
      return 1;
    }

    @Override
    public byte[] serialize(List<RmqQueueSplit> splits) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        out.writeInt(splits.size());
        for (RmqQueueSplit split : splits) write(split, out);
      }
      return bytes.toByteArray();
    }

    @Override
    public List<RmqQueueSplit> deserialize(int version, byte[] serialized) throws IOException {
      if (version != 1) throw new IOException("unknown RabbitMQ enumerator version " + version);
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
        int n = in.readInt();
        List<RmqQueueSplit> splits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) splits.add(read(in));
        return splits;
      }
    }
  }
}
