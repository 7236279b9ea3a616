package io.brook.protocol.message;

import java.util.List;

/**
 * Move a partition to {@code replicas} (the first is the preferred leader): the new replicas catch up
 * as followers, then the controller switches and drops the old ones. Empty {@code replicas} cancels
 * a running reassignment. Answered with the partition's {@link PartitionMetadata}.
 */
public record ReassignPartitionRequest(String topic, int partition, List<Integer> replicas) {
  public ReassignPartitionRequest {
    replicas = replicas == null ? null : List.copyOf(replicas); // required: Messages.body refuses a missing one
  }
}
