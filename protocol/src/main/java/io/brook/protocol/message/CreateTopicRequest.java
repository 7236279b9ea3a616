package io.brook.protocol.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Create a topic; answered with its {@link TopicMetadata}. {@code configs} are topic overrides (none
 * when left out; a null value is refused by the controller with INVALID_CONFIG). {@code validateOnly}:
 * the controller makes every check of a real creation (name, partitions, replication factor against the
 * unfenced brokers, configs, an existing topic) and writes nothing; the answer then has no topic id and
 * the planned replicas with no leader (-1).
 *
 * <p>{@code assignments}: a manual placement, partition index to its ordered replica broker ids (the first
 * is the preferred leader), one entry per partition; empty (or null) for the controller's own placement.
 * With one, {@code partitions} and {@code replicationFactor} must be unset (0 or -1): the assignment gives
 * both. Kept as sent (null lists and ids included) for the controller to refuse with
 * INVALID_REPLICA_ASSIGNMENT.
 */
public record CreateTopicRequest(String name, int partitions, short replicationFactor, Map<String, String> configs,
    boolean validateOnly, Map<Integer, List<Integer>> assignments) {
  public CreateTopicRequest {
    // a null value stays, for the controller to refuse as Kafka does (INVALID_CONFIG)
    configs = configs == null ? Map.of() : Collections.unmodifiableMap(new HashMap<>(configs));
    assignments = copyOf(assignments);
  }

  /** The controller's placement. */
  public CreateTopicRequest(String name, int partitions, short replicationFactor, Map<String, String> configs,
      boolean validateOnly) {
    this(name, partitions, replicationFactor, configs, validateOnly, Map.of());
  }

  /** A real creation, the controller's placement. */
  public CreateTopicRequest(String name, int partitions, short replicationFactor, Map<String, String> configs) {
    this(name, partitions, replicationFactor, configs, false);
  }

  /** A creation with exactly these replicas per partition. */
  public static CreateTopicRequest assigned(String name, Map<Integer, List<Integer>> assignments,
      Map<String, String> configs, boolean validateOnly) {
    return new CreateTopicRequest(name, -1, (short) -1, configs, validateOnly, assignments);
  }

  /** The same, partition {@code i} on the brokers of {@code replicaAssignment.get(i)}. */
  public static CreateTopicRequest assigned(String name, List<List<Integer>> replicaAssignment,
      Map<String, String> configs, boolean validateOnly) {
    Map<Integer, List<Integer>> byPartition = new TreeMap<>();
    for (int partition = 0; partition < replicaAssignment.size(); partition++) {
      byPartition.put(partition, replicaAssignment.get(partition));
    }
    return assigned(name, byPartition, configs, validateOnly);
  }

  private static Map<Integer, List<Integer>> copyOf(Map<Integer, List<Integer>> assignments) {
    if (assignments == null || assignments.isEmpty()) {
      return Map.of();
    }
    Map<Integer, List<Integer>> copy = new TreeMap<>();
    assignments.forEach((partition, replicas) ->
        copy.put(partition, replicas == null ? null : Collections.unmodifiableList(new ArrayList<>(replicas))));
    return Collections.unmodifiableMap(copy);
  }
}
