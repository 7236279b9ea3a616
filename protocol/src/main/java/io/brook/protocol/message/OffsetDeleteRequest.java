package io.brook.protocol.message;

import java.util.List;

/**
 * Delete a consumer group's committed offsets of {@code partitions} (Kafka's OffsetDelete), at the
 * group's coordinator ({@code brook.api.broker.<coordinator>.group.offset-delete}). Needs DELETE on the
 * group and READ on each topic.
 */
public record OffsetDeleteRequest(String groupId, List<TopicPartitionRef> partitions) {
  public OffsetDeleteRequest {
    partitions = partitions == null ? null : List.copyOf(partitions); // required: Messages.body refuses a missing one
  }
}
