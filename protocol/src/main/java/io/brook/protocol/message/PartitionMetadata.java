package io.brook.protocol.message;

import java.util.List;

/**
 * Where a partition lives: its leader ({@code -1} if none), the leader epoch that fences stale
 * leaders, the replica brokers and the in-sync subset.
 */
public record PartitionMetadata(int partition, int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr) {}
