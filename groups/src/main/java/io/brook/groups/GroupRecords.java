package io.brook.groups;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The records of a {@code __consumer_offsets} partition, as typed values. Their bytes are Kafka's
 * (see {@link GroupRecordCodec}), so Kafka tools can read Brook's topic. A record with a null value
 * is a tombstone: the key's state is deleted.
 */
public final class GroupRecords {
  private GroupRecords() {}

  /** The key of a record; every key names its group, so a partition's records split by group. */
  public sealed interface RecordKey permits OffsetCommitKey, GroupMetadataKey {
    String group();
  }

  /** A value; null in a {@link CoordinatorRecord} means a tombstone. */
  public sealed interface RecordValue permits OffsetCommitValue, GroupMetadataValue {}

  /** Key version 1 (0 is read too): the committed offset of one partition for one group. */
  public record OffsetCommitKey(String group, String topic, int partition) implements RecordKey {
    public OffsetCommitKey {
      Objects.requireNonNull(group);
      Objects.requireNonNull(topic);
    }
  }

  /** Key version 2: the group's membership and assignment. */
  public record GroupMetadataKey(String group) implements RecordKey {
    public GroupMetadataKey {
      Objects.requireNonNull(group);
    }
  }

  /** Value version 3: leaderEpoch -1 when unknown; commitTimestamp in ms. */
  public record OffsetCommitValue(long offset, int leaderEpoch, String metadata, long commitTimestamp)
      implements RecordValue {
    public OffsetCommitValue {
      Objects.requireNonNull(metadata);
    }
  }

  /**
   * Value version 3 (classic group): protocolType "" for a group never joined; protocol and leader
   * null in an empty generation; currentStateTimestamp -1 when unknown.
   */
  public record GroupMetadataValue(String protocolType, int generation, String protocol, String leader,
      long currentStateTimestamp, List<MemberMetadata> members) implements RecordValue {
    public GroupMetadataValue {
      Objects.requireNonNull(protocolType);
      members = List.copyOf(members);
    }
  }

  /** One member in a {@link GroupMetadataValue}; subscription and assignment are the client's opaque bytes. */
  public record MemberMetadata(String memberId, String groupInstanceId, String clientId, String clientHost,
      int rebalanceTimeout, int sessionTimeout, byte[] subscription, byte[] assignment) {
    public MemberMetadata {
      Objects.requireNonNull(memberId);
      Objects.requireNonNull(clientId);
      Objects.requireNonNull(clientHost);
      Objects.requireNonNull(subscription);
      Objects.requireNonNull(assignment);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof MemberMetadata m && memberId.equals(m.memberId)
          && Objects.equals(groupInstanceId, m.groupInstanceId) && clientId.equals(m.clientId)
          && clientHost.equals(m.clientHost) && rebalanceTimeout == m.rebalanceTimeout
          && sessionTimeout == m.sessionTimeout && Arrays.equals(subscription, m.subscription)
          && Arrays.equals(assignment, m.assignment);
    }

    @Override
    public int hashCode() {
      return Objects.hash(memberId, groupInstanceId, clientId, clientHost, rebalanceTimeout, sessionTimeout,
          Arrays.hashCode(subscription), Arrays.hashCode(assignment));
    }

    @Override
    public String toString() {
      return "MemberMetadata[" + memberId + ", instance=" + groupInstanceId + ", client=" + clientId + "@" + clientHost
          + ", rebalanceTimeout=" + rebalanceTimeout + ", sessionTimeout=" + sessionTimeout
          + ", subscription=" + HexFormat.of().formatHex(subscription)
          + ", assignment=" + HexFormat.of().formatHex(assignment) + "]";
    }
  }

  /** A record's bytes as they go into the log: {@code value} null for a tombstone. Read through {@code duplicate()}. */
  public record EncodedRecord(java.nio.ByteBuffer key, java.nio.ByteBuffer value) {}

  /** One record to append (or replayed): a key and a value, or a tombstone (null value). */
  public record CoordinatorRecord(RecordKey key, RecordValue value) {
    public CoordinatorRecord {
      Objects.requireNonNull(key);
      if (value != null && (key instanceof OffsetCommitKey) != (value instanceof OffsetCommitValue)) {
        throw new IllegalArgumentException("value " + value.getClass().getSimpleName() + " does not match key " + key);
      }
    }

    public static CoordinatorRecord tombstone(RecordKey key) {
      return new CoordinatorRecord(key, null);
    }

    public boolean isTombstone() {
      return value == null;
    }
  }
}
