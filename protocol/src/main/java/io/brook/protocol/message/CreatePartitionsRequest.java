package io.brook.protocol.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Raise a topic's partition count to {@code count}; answered with its {@link TopicMetadata}.
 * {@code validateOnly}: every check of the real change (the topic, the count, the brokers, room on
 * them), nothing written; the answer is the topic as it is. {@code assignments}: null for the
 * controller's placement, else one ordered replica list per new partition (the first is the preferred
 * leader), as many as partitions are added; kept as sent for the controller to refuse with
 * INVALID_REPLICA_ASSIGNMENT.
 */
public record CreatePartitionsRequest(String name, int count, boolean validateOnly,
    @Nullable List<List<Integer>> assignments) {
  public CreatePartitionsRequest {
    if (assignments != null) {
      List<List<Integer>> copy = new ArrayList<>(assignments.size());
      assignments.forEach(replicas -> copy.add(replicas == null ? null
          : Collections.unmodifiableList(new ArrayList<>(replicas))));
      assignments = Collections.unmodifiableList(copy);
    }
  }

  /** The controller's placement. */
  public CreatePartitionsRequest(String name, int count, boolean validateOnly) {
    this(name, count, validateOnly, null);
  }

  /** A real change, the controller's placement. */
  public CreatePartitionsRequest(String name, int count) {
    this(name, count, false);
  }
}
