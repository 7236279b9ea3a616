package io.brook.verticles.partition;

import io.brook.replication.PartitionState;

/**
 * Local message from the broker's replica manager to a partition leader: newer metadata for the
 * partition at the same leader epoch (an ISR change committed by the controller, a reassignment).
 */
public record PartitionUpdate(PartitionState state) {}
