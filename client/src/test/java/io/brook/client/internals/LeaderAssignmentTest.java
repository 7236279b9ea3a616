package io.brook.client.internals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.protocol.message.JoinGroupResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.RebalanceProtocol;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** Proves the leader's part: ConsumerProtocol in and out, the assignor over the known partitions, the cooperative check. */
class LeaderAssignmentTest {
  static final TopicPartition A0 = new TopicPartition("a", 0);
  static final TopicPartition A1 = new TopicPartition("a", 1);

  static JoinGroupResponse.Member member(String id, String instance, List<String> topics, List<TopicPartition> owned) {
    Subscription subscription = new Subscription(topics, null, owned, 3, Optional.empty());
    return new JoinGroupResponse.Member(id, instance, Utils.toArray(ConsumerProtocol.serializeSubscription(subscription)));
  }

  static MetadataSnapshot metadata() {
    return MetadataSnapshot.EMPTY.merge(List.of(new TopicMetadata("a", null, (short) 1, List.of(
        new PartitionMetadata(0, 1, 0, List.of(1), List.of(1)), new PartitionMetadata(1, 1, 0, List.of(1), List.of(1))))));
  }

  @Test
  void theLeaderAssignsTheKnownPartitionsOfEveryMembersTopics() {
    LeaderAssignment.Subscriptions members = LeaderAssignment.read(List.of(
        member("m1", "i-1", List.of("a", "unknown"), List.of(A0)), member("m2", null, List.of("a"), List.of())));
    assertThat(members.topics()).containsExactly("a", "unknown");
    assertThat(members.byMember().get("m1").groupInstanceId()).contains("i-1");
    assertThat(members.byMember().get("m1").ownedPartitions()).containsExactly(A0);
    assertThat(members.byMember().get("m1").generationId()).contains(3);

    Map<String, ByteBuffer> assigned = LeaderAssignment.assign(new RangeAssignor(), RebalanceProtocol.EAGER, members,
        metadata());
    assertThat(ConsumerProtocol.deserializeAssignment(assigned.get("m1")).partitions()).containsExactly(A0);
    assertThat(ConsumerProtocol.deserializeAssignment(assigned.get("m2")).partitions()).containsExactly(A1);
    assertThat(LeaderAssignment.partitionCounts(metadata(), members.topics())).containsExactly(Map.entry("a", 2));
  }

  @Test
  void aCooperativeAssignmentMayNotHandAnOwnedPartitionStraightToAnotherMember() {
    Map<String, Subscription> owned = Map.of("m1", new Subscription(List.of("a"), null, List.of(A0, A1)),
        "m2", new Subscription(List.of("a"), null, List.of()));
    // fine: m1 gives A1 up, nobody gets it in this generation
    LeaderAssignment.validateCooperative(owned, Map.of("m1", new Assignment(List.of(A0)), "m2",
        new Assignment(List.of())));
    assertThatThrownBy(() -> LeaderAssignment.validateCooperative(owned, Map.of("m1", new Assignment(List.of(A0)),
        "m2", new Assignment(List.of(A1))))).isInstanceOf(IllegalStateException.class).hasMessageContaining("a-1");
  }
}
