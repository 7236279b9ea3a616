package io.brook.protocol.message;

import java.util.List;

/** The partition as the controller committed it after an {@link AlterPartitionRequest}. */
public record AlterPartitionResponse(int leader, int leaderEpoch, int partitionEpoch, List<Integer> isr) {}
