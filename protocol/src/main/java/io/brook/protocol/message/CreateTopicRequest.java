package io.brook.protocol.message;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Create a topic; answered with its {@link TopicMetadata}. {@code configs} are topic overrides (none
 * when left out; a null value is refused by the controller with INVALID_CONFIG). {@code validateOnly}:
 * the controller makes every check of a real creation (name, partitions, replication factor against the
 * unfenced brokers, configs, an existing topic) and writes nothing; the answer then has no topic id and
 * the planned replicas with no leader (-1).
 */
public record CreateTopicRequest(String name, int partitions, short replicationFactor, Map<String, String> configs,
    boolean validateOnly) {
  public CreateTopicRequest {
    // a null value stays, for the controller to refuse as Kafka does (INVALID_CONFIG)
    configs = configs == null ? Map.of() : Collections.unmodifiableMap(new HashMap<>(configs));
  }

  /** A real creation. */
  public CreateTopicRequest(String name, int partitions, short replicationFactor, Map<String, String> configs) {
    this(name, partitions, replicationFactor, configs, false);
  }
}
