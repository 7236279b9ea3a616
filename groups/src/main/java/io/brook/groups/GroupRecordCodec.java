package io.brook.groups;

import io.brook.groups.GroupRecords.GroupMetadataKey;
import io.brook.groups.GroupRecords.GroupMetadataValue;
import io.brook.groups.GroupRecords.MemberMetadata;
import io.brook.groups.GroupRecords.OffsetCommitKey;
import io.brook.groups.GroupRecords.OffsetCommitValue;
import io.brook.groups.GroupRecords.RecordKey;
import io.brook.groups.GroupRecords.RecordValue;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.CorruptRecordException;

/**
 * The bytes of {@code __consumer_offsets} keys and values, exactly as Kafka writes them (its JSON
 * schemas in {@code group-coordinator/src/main/resources/common/message/}), so that Kafka's tools
 * and UIs that decode the topic read Brook's too.
 *
 * <p>Every key and value starts with its schema version as an int16, then the fields of that
 * version in order, non-flexible encoding: int16/int32/int64 big-endian; a string is an int16
 * length and UTF-8 bytes (length -1: null, where nullable); bytes are an int32 length and the
 * bytes; an array is an int32 count and the elements.
 *
 * <pre>
 * OffsetCommitKey    v1 (v0 read): group string, topic string, partition int32
 * GroupMetadataKey   v2:           group string
 * OffsetCommitValue  v3 (v0-2 read): offset int64, leaderEpoch int32 (v3+), metadata string,
 *                                    commitTimestamp int64, expireTimestamp int64 (v1 only)
 * GroupMetadataValue v3 (v0-2 read): protocolType string, generation int32, protocol string?,
 *                                    leader string?, currentStateTimestamp int64 (v2+),
 *                                    members [memberId string, groupInstanceId string? (v3+),
 *                                    clientId string, clientHost string, rebalanceTimeout int32 (v1+),
 *                                    sessionTimeout int32, subscription bytes, assignment bytes]
 * </pre>
 *
 * Key versions 3 and above belong to KIP-848 consumer groups, which Brook does not write; reading
 * one, a flexible value version (4+), a truncated record or trailing bytes is a
 * {@link CorruptRecordException}: a coordinator never guesses at state it cannot read.
 */
public final class GroupRecordCodec {
  public static final short OFFSET_COMMIT_KEY_VERSION = 1;
  public static final short GROUP_METADATA_KEY_VERSION = 2;
  public static final short OFFSET_COMMIT_VALUE_VERSION = 3;
  public static final short GROUP_METADATA_VALUE_VERSION = 3;

  private GroupRecordCodec() {}

  public static ByteBuffer encodeKey(RecordKey key) {
    Writer w = new Writer();
    if (key instanceof OffsetCommitKey k) {
      w.int16(OFFSET_COMMIT_KEY_VERSION);
      w.string(k.group());
      w.string(k.topic());
      w.int32(k.partition());
    } else {
      w.int16(GROUP_METADATA_KEY_VERSION);
      w.string(key.group());
    }
    return w.done();
  }

  /** The value's bytes, or null for a tombstone. */
  public static ByteBuffer encodeValue(RecordValue value) {
    if (value == null) {
      return null;
    }
    Writer w = new Writer();
    if (value instanceof OffsetCommitValue v) {
      w.int16(OFFSET_COMMIT_VALUE_VERSION);
      w.int64(v.offset());
      w.int32(v.leaderEpoch());
      w.string(v.metadata());
      w.int64(v.commitTimestamp());
    } else {
      encodeGroupMetadata(w, (GroupMetadataValue) value);
    }
    return w.done();
  }

  private static void encodeGroupMetadata(Writer w, GroupMetadataValue v) {
    w.int16(GROUP_METADATA_VALUE_VERSION);
    w.string(v.protocolType());
    w.int32(v.generation());
    w.nullableString(v.protocol());
    w.nullableString(v.leader());
    w.int64(v.currentStateTimestamp());
    w.int32(v.members().size());
    for (MemberMetadata m : v.members()) {
      w.string(m.memberId());
      w.nullableString(m.groupInstanceId());
      w.string(m.clientId());
      w.string(m.clientHost());
      w.int32(m.rebalanceTimeout());
      w.int32(m.sessionTimeout());
      w.bytes(m.subscription());
      w.bytes(m.assignment());
    }
  }

  public static RecordKey decodeKey(ByteBuffer bytes) {
    Reader r = new Reader(bytes);
    short version = r.int16();
    RecordKey key = switch (version) {
      case 0, 1 -> new OffsetCommitKey(r.string(), r.string(), r.int32());
      case 2 -> new GroupMetadataKey(r.string());
      default -> throw new CorruptRecordException("unsupported __consumer_offsets key version " + version);
    };
    r.end();
    return key;
  }

  /** The value of a record with this key; a null buffer is a tombstone and decodes to null. */
  public static RecordValue decodeValue(RecordKey key, ByteBuffer bytes) {
    if (bytes == null) {
      return null;
    }
    Reader r = new Reader(bytes);
    short version = r.int16();
    RecordValue value = key instanceof OffsetCommitKey
        ? decodeOffsetCommit(r, version)
        : decodeGroupMetadata(r, version);
    r.end();
    return value;
  }

  private static OffsetCommitValue decodeOffsetCommit(Reader r, short version) {
    if (version < 0 || version > 3) {
      throw new CorruptRecordException("unsupported OffsetCommitValue version " + version);
    }
    long offset = r.int64();
    int leaderEpoch = version >= 3 ? r.int32() : -1;
    String metadata = r.string();
    long commitTimestamp = r.int64();
    if (version == 1) {
      r.int64(); // expireTimestamp: Kafka 2.1 and older; retention is the broker's since then
    }
    return new OffsetCommitValue(offset, leaderEpoch, metadata, commitTimestamp);
  }

  private static GroupMetadataValue decodeGroupMetadata(Reader r, short version) {
    if (version < 0 || version > 3) {
      throw new CorruptRecordException("unsupported GroupMetadataValue version " + version);
    }
    String protocolType = r.string();
    int generation = r.int32();
    String protocol = r.nullableString();
    String leader = r.nullableString();
    long currentStateTimestamp = version >= 2 ? r.int64() : -1L;
    int count = r.count();
    List<MemberMetadata> members = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      String memberId = r.string();
      String instanceId = version >= 3 ? r.nullableString() : null;
      String clientId = r.string();
      String clientHost = r.string();
      int rebalanceTimeout = version >= 1 ? r.int32() : -1;
      int sessionTimeout = r.int32();
      members.add(new MemberMetadata(memberId, instanceId, clientId, clientHost, rebalanceTimeout, sessionTimeout,
          r.bytes(), r.bytes()));
    }
    return new GroupMetadataValue(protocolType, generation, protocol, leader, currentStateTimestamp, members);
  }

  /** A growing big-endian buffer. */
  private static final class Writer {
    private ByteBuffer buf = ByteBuffer.allocate(64);

    private void ensure(int n) {
      if (buf.remaining() < n) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
        buf.flip();
        bigger.put(buf);
        buf = bigger;
      }
    }

    void int16(short v) {
      ensure(2);
      buf.putShort(v);
    }

    void int32(int v) {
      ensure(4);
      buf.putInt(v);
    }

    void int64(long v) {
      ensure(8);
      buf.putLong(v);
    }

    void string(String s) {
      if (s == null) {
        throw new IllegalArgumentException("null in a non-nullable string field");
      }
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      if (b.length > Short.MAX_VALUE) {
        throw new IllegalArgumentException("string of " + b.length + " bytes does not fit an int16 length");
      }
      int16((short) b.length);
      ensure(b.length);
      buf.put(b);
    }

    void nullableString(String s) {
      if (s == null) {
        int16((short) -1);
      } else {
        string(s);
      }
    }

    void bytes(byte[] b) {
      int32(b.length);
      ensure(b.length);
      buf.put(b);
    }

    ByteBuffer done() {
      buf.flip();
      return buf.asReadOnlyBuffer();
    }
  }

  /** Reads a duplicate of the buffer; every length is checked against what is left. */
  private static final class Reader {
    private final ByteBuffer buf;

    Reader(ByteBuffer bytes) {
      this.buf = bytes.duplicate();
    }

    short int16() {
      try {
        return buf.getShort();
      } catch (BufferUnderflowException e) {
        throw truncated();
      }
    }

    int int32() {
      try {
        return buf.getInt();
      } catch (BufferUnderflowException e) {
        throw truncated();
      }
    }

    long int64() {
      try {
        return buf.getLong();
      } catch (BufferUnderflowException e) {
        throw truncated();
      }
    }

    String string() {
      String s = nullableString();
      if (s == null) {
        throw new CorruptRecordException("null in a non-nullable string field");
      }
      return s;
    }

    String nullableString() {
      short length = int16();
      if (length == -1) {
        return null;
      }
      if (length < 0 || length > buf.remaining()) {
        throw new CorruptRecordException("string length " + length + " with " + buf.remaining() + " bytes left");
      }
      byte[] b = new byte[length];
      buf.get(b);
      return new String(b, StandardCharsets.UTF_8);
    }

    byte[] bytes() {
      int length = int32();
      if (length < 0 || length > buf.remaining()) {
        throw new CorruptRecordException("bytes length " + length + " with " + buf.remaining() + " bytes left");
      }
      byte[] b = new byte[length];
      buf.get(b);
      return b;
    }

    int count() {
      int count = int32();
      if (count < 0 || count > buf.remaining()) {
        throw new CorruptRecordException("array count " + count + " with " + buf.remaining() + " bytes left");
      }
      return count;
    }

    void end() {
      if (buf.hasRemaining()) {
        throw new CorruptRecordException(buf.remaining() + " unexpected bytes after the record");
      }
    }

    private CorruptRecordException truncated() {
      return new CorruptRecordException("record ends in the middle of a field");
    }
  }
}
