package io.brook.protocol.message;

import java.util.List;

/**
 * Ask any broker for cluster metadata: the topics named in {@code topics} and those whose id (a
 * {@code Uuid} string) is in {@code topicIds}; both left out or empty means every topic. An unknown id
 * comes back with a null name and UNKNOWN_TOPIC_ID. {@code allowAutoCreate} (Kafka's
 * {@code allow_auto_topic_creation}): a named topic that does not exist is created with the defaults
 * when the broker's {@code auto.create.topics.enable} is true and the caller may create it.
 */
public record MetadataRequest(List<String> topics, List<String> topicIds, boolean allowAutoCreate) {
  public MetadataRequest {
    topics = topics == null ? List.of() : List.copyOf(topics);
    topicIds = topicIds == null ? List.of() : List.copyOf(topicIds);
  }

  /** The named topics (every topic when empty), none created. */
  public MetadataRequest(List<String> topics) {
    this(topics, List.of(), false);
  }

  public static MetadataRequest all() {
    return new MetadataRequest(List.of());
  }
}
