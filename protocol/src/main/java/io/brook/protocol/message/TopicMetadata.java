package io.brook.protocol.message;

import java.util.List;

/** A topic's partitions and their leaders; {@code error} is a Kafka error name or null. */
public record TopicMetadata(String name, String error, short replicationFactor, List<PartitionMetadata> partitions) {}
