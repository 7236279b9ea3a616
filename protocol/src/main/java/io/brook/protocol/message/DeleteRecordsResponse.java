package io.brook.protocol.message;

import java.util.List;

/**
 * One result per partition of a {@link DeleteRecordsRequest}: the partition's new low watermark (the
 * lowest log start offset of its in-sync replicas), or {@code error} (a Kafka error name:
 * OFFSET_OUT_OF_RANGE, NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, REQUEST_TIMED_OUT,
 * POLICY_VIOLATION, ...) with its {@code message} and {@code lowWatermark} -1.
 */
public record DeleteRecordsResponse(String topic, List<PartitionResult> results) {

  public record PartitionResult(int partition, long lowWatermark, @Nullable String error, @Nullable String message) {

    public static PartitionResult ok(int partition, long lowWatermark) {
      return new PartitionResult(partition, lowWatermark, null, null);
    }

    public static PartitionResult failed(int partition, String error, String message) {
      return new PartitionResult(partition, -1L, error, message);
    }
  }
}
