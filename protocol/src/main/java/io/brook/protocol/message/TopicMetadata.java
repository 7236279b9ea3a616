package io.brook.protocol.message;

import java.util.List;

/**
 * A topic's partitions and their leaders; {@code error} is a Kafka error name or null.
 * {@code topicId} (the topic's {@code Uuid} as a string, null when unknown or with an error) tells
 * a topic from a later one of the same name, whose leader epochs start again.
 */
public record TopicMetadata(String name, String error, short replicationFactor, List<PartitionMetadata> partitions,
                            String topicId) {

  /** A topic without an id (errors, tests). */
  public TopicMetadata(String name, String error, short replicationFactor, List<PartitionMetadata> partitions) {
    this(name, error, replicationFactor, partitions, null);
  }
}
