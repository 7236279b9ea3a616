package io.brook.protocol.message;

import java.util.List;

/**
 * {@code error}: the group's (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP for an active group not of the consumer
 * protocol, ...), null when the partitions were handled; each partition's {@code error} is null when its
 * offset is gone (or there was none), else GROUP_SUBSCRIBED_TO_TOPIC, TOPIC_AUTHORIZATION_FAILED or
 * UNKNOWN_TOPIC_OR_PARTITION.
 */
public record OffsetDeleteResponse(String error, List<Partition> partitions) {

  public record Partition(String topic, int partition, String error) {}
}
