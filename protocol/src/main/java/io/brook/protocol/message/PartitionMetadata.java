package io.brook.protocol.message;

import java.util.List;

/**
 * Where a partition lives: its leader ({@code -1} if none), the leader epoch that fences stale
 * leaders, the replica brokers, the in-sync subset, and the offline replicas (Kafka's
 * {@code offline_replicas}: on a broker running on another data directory than their data's).
 */
public record PartitionMetadata(int partition, int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr,
                                List<Integer> offlineReplicas) {

  /** A partition with no offline replica. */
  public PartitionMetadata(int partition, int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr) {
    this(partition, leader, leaderEpoch, replicas, isr, List.of());
  }
}
