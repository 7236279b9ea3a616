package io.brook.verticles.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.storage.Time;
import io.brook.verticles.BrokerHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many rebalances a group goes through, with the broker's default
 * {@code group.initial.rebalance.delay.ms} (3 s): twenty consumers started at once settle in one
 * generation, each rebalancing once; a fourth member joining a stable group of three makes exactly
 * one more generation.
 */
class GroupSettlingTest {
  @TempDir
  Path dataDir;
  BrokerHarness broker;
  final List<GroupMember> members = new ArrayList<>();

  @BeforeEach
  void startBroker() {
    broker = new BrokerHarness(dataDir, Map.of("offsets.topic.num.partitions", 2), Time.SYSTEM);
  }

  @AfterEach
  void stopBroker() {
    members.forEach(GroupMember::close);
    broker.close();
  }

  private GroupMember member(String group, String name) {
    GroupMember m = GroupMember.start(broker.vertx, name, GroupMember.props(group), List.of("t"));
    members.add(m);
    return m;
  }

  private static long assignments(GroupMember m) {
    return m.events.stream().filter(e -> e.startsWith("assigned")).count();
  }

  @Test
  void twentyConsumersStartedAtOnceSettleInOneGeneration() {
    broker.calls.createTopic("t", 20, Map.of());
    for (int i = 0; i < 20; i++) {
      member("crowd", "m" + i);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> members.stream().allMatch(m -> m.assignment().size() == 1));
    Set<TopicPartition> owned = new HashSet<>();
    members.forEach(m -> owned.addAll(m.assignment()));
    assertThat(owned).as("every partition to one member").hasSize(20);
    assertThat(members).allSatisfy(m -> {
      assertThat(m.consumer.groupMetadata().generationId()).as(m.name + "'s generation").isEqualTo(1);
      assertThat(assignments(m)).as(m.name + " rebalanced once").isEqualTo(1);
    });
  }

  @Test
  void aJoinToAStableGroupOfThreeRebalancesOnce() {
    broker.calls.createTopic("t", 6, Map.of());
    GroupMember a = member("three", "a");
    GroupMember b = member("three", "b");
    GroupMember c = member("three", "c");
    await().atMost(Duration.ofSeconds(60)).until(() -> List.of(a, b, c).stream().allMatch(m -> m.assignment().size() == 2));
    int stable = a.consumer.groupMetadata().generationId();
    List<Long> before = List.of(a, b, c).stream().map(GroupSettlingTest::assignments).toList();

    GroupMember d = member("three", "d");
    await().atMost(Duration.ofSeconds(60)).until(() -> members.stream().allMatch(m -> !m.assignment().isEmpty())
        && members.stream().mapToInt(m -> m.assignment().size()).sum() == 6
        && members.stream().allMatch(m -> m.consumer.groupMetadata().generationId() == stable + 1));
    List<GroupMember> old = List.of(a, b, c);
    for (int i = 0; i < 3; i++) {
      assertThat(assignments(old.get(i))).as(old.get(i).name + " rebalanced once more").isEqualTo(before.get(i) + 1);
    }
    assertThat(assignments(d)).isEqualTo(1);
  }
}
