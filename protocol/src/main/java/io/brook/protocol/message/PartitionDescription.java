package io.brook.protocol.message;

import java.util.List;

/**
 * A partition's placement and its log: offsets, bytes on disk and number of segments; its offline
 * replicas are those on a broker running on another data directory than their data's.
 */
public record PartitionDescription(int partition, int leader, int leaderEpoch, List<Integer> replicas,
    List<Integer> isr, long logStartOffset, long logEndOffset, long highWatermark, long sizeBytes, int segments,
    List<Integer> offlineReplicas) {

  /** A partition with no offline replica. */
  public PartitionDescription(int partition, int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr,
      long logStartOffset, long logEndOffset, long highWatermark, long sizeBytes, int segments) {
    this(partition, leader, leaderEpoch, replicas, isr, logStartOffset, logEndOffset, highWatermark, sizeBytes, segments,
        List.of());
  }
}
