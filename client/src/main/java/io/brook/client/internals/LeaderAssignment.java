package io.brook.client.internals;

import io.brook.protocol.message.JoinGroupResponse;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.RebalanceProtocol;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;

/**
 * What the group leader does between JoinGroup and SyncGroup, as Kafka's
 * {@code ConsumerCoordinator.onLeaderElected}: read every member's {@code ConsumerProtocol}
 * subscription (topics, owned partitions, generation), run the chosen assignor over the partitions
 * the leader's metadata knows, check that a cooperative assignor moved no partition straight from
 * one owner to another, and encode each member's assignment. Plain functions; no state.
 */
final class LeaderAssignment {
  /** The members' subscriptions by member id, and every topic they name. */
  record Subscriptions(Map<String, Subscription> byMember, Set<String> topics) {}

  private LeaderAssignment() {}

  static Subscriptions read(List<JoinGroupResponse.Member> members) {
    Map<String, Subscription> byMember = new HashMap<>();
    Set<String> topics = new TreeSet<>();
    for (JoinGroupResponse.Member m : members) {
      Subscription subscription = ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(m.metadata()));
      subscription.setGroupInstanceId(Optional.ofNullable(m.groupInstanceId()));
      byMember.put(m.memberId(), subscription);
      topics.addAll(subscription.topics());
    }
    return new Subscriptions(byMember, topics);
  }

  /** Runs {@code assignor}; answers each member's assignment in ConsumerProtocol bytes. */
  static Map<String, ByteBuffer> assign(ConsumerPartitionAssignor assignor, RebalanceProtocol protocol,
      Subscriptions subscriptions, MetadataSnapshot metadata) {
    Map<String, Assignment> assignments = assignor.assign(metadata.cluster(subscriptions.topics()),
        new GroupSubscription(subscriptions.byMember())).groupAssignment();
    // kafka-clients' own cooperative sticky assignor checks the owners' generations itself
    if (protocol == RebalanceProtocol.COOPERATIVE
        && !CooperativeStickyAssignor.COOPERATIVE_STICKY_ASSIGNOR_NAME.equals(assignor.name())) {
      validateCooperative(subscriptions.byMember(), assignments);
    }
    Map<String, ByteBuffer> encoded = new HashMap<>();
    subscriptions.byMember().keySet().forEach(memberId -> encoded.put(memberId,
        ConsumerProtocol.serializeAssignment(assignments.getOrDefault(memberId, new Assignment(List.of())))));
    return encoded;
  }

  /**
   * Kafka's {@code validateCooperativeAssignment}: a partition taken from its owner may go to no one
   * in the same generation (its owner first gives it up, then a second rebalance hands it out).
   */
  static void validateCooperative(Map<String, Subscription> subscriptions, Map<String, Assignment> assignments) {
    Set<TopicPartition> added = new HashSet<>();
    Set<TopicPartition> revoked = new HashSet<>();
    assignments.forEach((memberId, assignment) -> {
      List<TopicPartition> owned = subscriptions.containsKey(memberId)
          ? subscriptions.get(memberId).ownedPartitions() : List.of();
      Set<TopicPartition> gained = new HashSet<>(assignment.partitions());
      owned.forEach(gained::remove);
      Set<TopicPartition> lost = new HashSet<>(owned);
      assignment.partitions().forEach(lost::remove);
      added.addAll(gained);
      revoked.addAll(lost);
    });
    added.retainAll(revoked);
    if (!added.isEmpty()) {
      throw new IllegalStateException("Assignor supporting the COOPERATIVE protocol violates its requirements: it "
          + "reassigned partitions " + added + " that other members still own");
    }
  }

  /** Each known topic's partition count: the leader rebalances again when this changes. */
  static Map<String, Integer> partitionCounts(MetadataSnapshot metadata, Set<String> topics) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String topic : topics) {
      MetadataSnapshot.TopicInfo info = metadata.topic(topic);
      if (info != null && info.known()) {
        counts.put(topic, info.partitionCount());
      }
    }
    return counts;
  }
}
