package io.brook.protocol.message;

import java.util.List;

/**
 * Each partition being reassigned: its replicas now (targets first, then those being removed), the ones
 * being added (catching up) and the ones being removed once the targets are in sync.
 */
public record ListReassignmentsResponse(List<Reassignment> reassignments) {

  public record Reassignment(String topic, int partition, List<Integer> replicas, List<Integer> addingReplicas,
      List<Integer> removingReplicas) {}
}
