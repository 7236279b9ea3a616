package io.brook.protocol.message;

import java.util.List;

/**
 * A partition leader's proposal of a new ISR to the controller, carrying the leader epoch and the
 * partition epoch it last saw: the controller refuses stale ones, which is how a leader that was
 * replaced learns it (internal; sent through the broker's controller channel).
 */
public record AlterPartitionRequest(String topic, int partition, int leaderId, int leaderEpoch, int partitionEpoch,
    List<Integer> newIsr) {}
