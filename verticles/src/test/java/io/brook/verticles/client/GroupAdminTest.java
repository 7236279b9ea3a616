package io.brook.verticles.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.brook.client.BrookAdmin;
import io.brook.client.BrookClients;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.junit.jupiter.api.Test;

/** The admin client's consumer group calls on a real broker: list, describe, offsets, reset, delete. */
class GroupAdminTest extends GroupTestBase {
  static final TopicPartition T0 = new TopicPartition("t", 0);
  static final TopicPartition T1 = new TopicPartition("t", 1);

  @Test
  void aGroupIsListedDescribedResetAndDeleted() {
    createTopic("t", 2);
    BrookAdmin admin = BrookClients.admin(broker.vertx, Map.of());
    GroupMember a = member("a", GroupMember.props("g", "auto.commit.interval.ms", 100), "t");
    GroupMember b = member("b", GroupMember.props("g", "auto.commit.interval.ms", 100), "t");
    awaitBalanced(1, a, b);
    produce("t", 2, 0, 20);
    await().atMost(WAIT).until(() -> allValues(members).size() >= 20);
    admin.alterConsumerGroupOffsets("tool", Map.of(T0, new OffsetAndMetadata(1))).await(); // a simple group

    await().atMost(WAIT).until(() -> admin.listConsumerGroupOffsets("g").await().values().stream()
        .mapToLong(OffsetAndMetadata::offset).sum() == 20); // auto-commits of both members
    Map<String, GroupListing> listed = admin.listConsumerGroups().await().stream()
        .collect(Collectors.toMap(GroupListing::groupId, l -> l));
    assertThat(listed).containsOnlyKeys("g", "tool");
    assertThat(listed.get("g").groupState()).contains(GroupState.STABLE);
    assertThat(listed.get("g").isSimpleConsumerGroup()).isFalse();
    assertThat(listed.get("tool").isSimpleConsumerGroup()).isTrue();

    ConsumerGroupDescription g = admin.describeConsumerGroups(List.of("g")).await().get("g");
    assertThat(g.groupState()).isEqualTo(GroupState.STABLE);
    assertThat(g.partitionAssignor()).isEqualTo("range");
    assertThat(g.coordinator().id()).isEqualTo(1);
    assertThat(g.members()).hasSize(2);
    assertThat(g.members().stream().flatMap(m -> m.assignment().topicPartitions().stream())).containsExactlyInAnyOrder(T0, T1);
    assertThat(g.members()).extracting(MemberDescription::clientId).containsOnly("test");
    assertThat(catchThrowable(() -> admin.describeConsumerGroups(List.of("nope")).await()))
        .isInstanceOf(GroupIdNotFoundException.class);
    assertThat(catchThrowable(() -> admin.alterConsumerGroupOffsets("g", Map.of(T0, new OffsetAndMetadata(0))).await()))
        .as("only an empty group's offsets can be reset").isInstanceOf(UnknownMemberIdException.class);
    assertThat(catchThrowable(() -> admin.deleteConsumerGroups(List.of("g")).await()))
        .isInstanceOf(GroupNotEmptyException.class);

    a.close();
    b.close();
    await().atMost(WAIT).until(() -> admin.describeConsumerGroups(List.of("g")).await().get("g").groupState()
        == GroupState.EMPTY);
    admin.alterConsumerGroupOffsets("g", Map.of(T0, new OffsetAndMetadata(0), T1, new OffsetAndMetadata(5))).await();
    GroupMember again = member("again", GroupMember.props("g"), "t");
    await().atMost(WAIT).until(() -> again.records.size() >= 15);
    assertThat(again.records).as("read again from the offsets reset").hasSize(15)
        .contains("t-0@0=v0", "t-1@5=v11").doesNotContain("t-1@4=v9");
    again.close();

    await().atMost(WAIT).until(() -> catchThrowable(() -> admin.deleteConsumerGroups(List.of("g", "tool")).await())
        == null);
    assertThat(admin.listConsumerGroupOffsets("g").await()).isEmpty();
    assertThat(admin.listConsumerGroups().await()).isEmpty();
    assertThat(catchThrowable(() -> admin.deleteConsumerGroups(Set.of("g")).await()))
        .isInstanceOf(GroupIdNotFoundException.class);
    admin.close();
  }
}
