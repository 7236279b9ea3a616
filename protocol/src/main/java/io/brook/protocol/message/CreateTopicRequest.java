package io.brook.protocol.message;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Create a topic; answered with its {@link TopicMetadata}. {@code configs} are topic overrides (none
 * when left out; a null value is refused by the controller with INVALID_CONFIG).
 */
public record CreateTopicRequest(String name, int partitions, short replicationFactor, Map<String, String> configs) {
  public CreateTopicRequest {
    // a null value stays, for the controller to refuse as Kafka does (INVALID_CONFIG)
    configs = configs == null ? Map.of() : Collections.unmodifiableMap(new HashMap<>(configs));
  }
}
