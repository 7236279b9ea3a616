package io.brook.verticles.groups;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;
import io.brook.protocol.message.ReassignPartitionRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code __consumer_offsets} is created with as many replicas as there are brokers then (one, for a
 * node started alone); once more brokers run, its partitions get the configured
 * {@code offsets.topic.replication.factor} by reassignment, so that a cluster that grew from one
 * node never keeps its groups' offsets on one disk. New replicas go to the unfenced brokers that hold
 * the fewest replicas, the current ones are kept (the leader first).
 */
final class OffsetsTopicGrowth {
  private OffsetsTopicGrowth() {}

  /** The reassignments that raise each partition not being reassigned to {@code wanted} replicas, as far as brokers allow. */
  static List<ReassignPartitionRequest> plan(MetadataImage image, int wanted) {
    Optional<TopicImage> topic = image.topic(OffsetsTopic.NAME);
    List<Integer> live = image.unfencedBrokers();
    int reachable = Math.min(wanted, live.size());
    if (topic.isEmpty()) {
      return List.of();
    }
    Map<Integer, Integer> load = new HashMap<>(image.replicaCounts());
    List<ReassignPartitionRequest> plan = new ArrayList<>();
    for (int p = 0; p < topic.get().partitionCount(); p++) {
      PartitionRegistration partition = topic.get().partitions().get(p);
      if (partition.isReassigning() || partition.replicas().size() >= reachable) {
        continue;
      }
      List<Integer> target = new ArrayList<>(partition.replicas());
      List<Integer> candidates = new ArrayList<>(live);
      candidates.removeAll(target);
      candidates.sort(Comparator.<Integer>comparingInt(id -> load.getOrDefault(id, 0)).thenComparingInt(id -> id));
      for (int id : candidates) {
        if (target.size() >= reachable) {
          break;
        }
        target.add(id);
        load.merge(id, 1, Integer::sum);
      }
      plan.add(new ReassignPartitionRequest(OffsetsTopic.NAME, p, target));
    }
    return plan;
  }
}
