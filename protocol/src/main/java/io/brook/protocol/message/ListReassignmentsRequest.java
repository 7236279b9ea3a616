package io.brook.protocol.message;

import java.util.List;

/**
 * The partition reassignments in progress ({@code brook.api.admin.list-reassignments}, Kafka's
 * ListPartitionReassignments): of {@code partitions}, or of every partition when null (a partition that
 * is not being reassigned, or does not exist, is left out). Needs DESCRIBE on the cluster.
 */
public record ListReassignmentsRequest(@Nullable List<TopicPartitionRef> partitions) {
  public ListReassignmentsRequest {
    partitions = partitions == null ? null : List.copyOf(partitions);
  }
}
