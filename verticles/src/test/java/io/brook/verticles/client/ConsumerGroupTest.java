package io.brook.verticles.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.client.BrookClients;
import io.brook.client.BrookConsumer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Consumer groups on a real broker: partitions shared, rebalances, commits and restarts, static and cooperative members. */
class ConsumerGroupTest extends GroupTestBase {

  @Test
  void threeMembersShareSixPartitionsAndConsumeEveryRecordExactlyOnce() {
    createTopic("orders", 6);
    produce("orders", 6, 0, 300); // some before the group forms, some during its rebalances, some after
    GroupMember a = member("a", GroupMember.props("g"), "orders");
    GroupMember b = member("b", GroupMember.props("g"), "orders");
    produce("orders", 6, 300, 300);
    GroupMember c = member("c", GroupMember.props("g"), "orders");
    awaitBalanced(2, a, b, c);
    produce("orders", 6, 600, 300);
    await().atMost(WAIT).until(() -> allValues(members).size() >= 900);

    assertThat(allValues(members)).containsExactlyInAnyOrderElementsOf(values(0, 900));
    Set<TopicPartition> owned = new HashSet<>();
    for (GroupMember m : List.of(a, b, c)) {
      assertThat(m.assignment()).hasSize(2);
      owned.addAll(m.assignment());
      assertThat(m.errors).isEmpty();
    }
    assertThat(owned).hasSize(6);
  }

  @Test
  void aMemberThatClosesHandsItsPartitionsToTheOthersAndNothingIsLost() {
    createTopic("orders", 6);
    GroupMember a = member("a", GroupMember.props("g"), "orders");
    GroupMember b = member("b", GroupMember.props("g"), "orders");
    GroupMember c = member("c", GroupMember.props("g"), "orders");
    awaitBalanced(2, a, b, c);
    produce("orders", 6, 0, 300);
    await().atMost(WAIT).until(() -> allValues(members).size() >= 300);

    c.close(); // commits what it consumed, LeaveGroup: a and b rebalance at once
    awaitBalanced(3, a, b);
    produce("orders", 6, 300, 300);
    await().atMost(WAIT).until(() -> new HashSet<>(allValues(members)).containsAll(values(0, 600)));
    assertThat(allValues(members)).containsAll(values(0, 600)); // at least once
    assertThat(c.events).last().isEqualTo("revoked " + sorted(c.lastAssigned()));
  }

  @Test
  void aRestartedMemberContinuesFromTheAutoCommittedOffsets() {
    createTopic("orders", 3);
    produce("orders", 3, 0, 60);
    GroupMember first = member("first", GroupMember.props("g"), "orders");
    await().atMost(WAIT).until(() -> first.records.size() >= 60);
    first.close(); // auto-commit on close

    produce("orders", 3, 60, 60);
    GroupMember second = member("second", GroupMember.props("g"), "orders");
    await().atMost(WAIT).until(() -> second.records.size() >= 60);
    assertThat(second.values()).containsExactlyInAnyOrderElementsOf(values(60, 60));
  }

  @Test
  void aRestartedConsumerContinuesFromItsCommitSync() {
    createTopic("orders", 2);
    produce("orders", 2, 0, 40);
    Map<String, Object> manual = GroupMember.props("g", "enable.auto.commit", false);
    BrookConsumer first = BrookClients.consumer(broker.vertx, manual);
    first.subscribe(List.of("orders"));
    assertThat(pollUntil(first, 40)).hasSize(40);
    first.commitSync().await();
    assertThat(first.committed(Set.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1))).await())
        .allSatisfy((tp, offset) -> assertThat(offset.offset()).isEqualTo(20));
    first.close(); // no auto-commit: only what commitSync wrote counts

    produce("orders", 2, 40, 40);
    BrookConsumer second = BrookClients.consumer(broker.vertx, manual);
    second.subscribe(List.of("orders"));
    List<String> got = pollUntil(second, 40).stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    assertThat(got).containsExactlyInAnyOrderElementsOf(values(40, 40));
    second.close();
  }

  @Test
  void twoGroupsEachGetEveryRecord() {
    createTopic("news", 4);
    GroupMember solo = member("solo", GroupMember.props("g1"), "news");
    GroupMember x = member("x", GroupMember.props("g2"), "news");
    GroupMember y = member("y", GroupMember.props("g2"), "news");
    awaitBalanced(2, x, y);
    awaitBalanced(4, solo);
    produce("news", 4, 0, 200);
    await().atMost(WAIT).until(() -> solo.records.size() >= 200 && x.records.size() + y.records.size() >= 200);
    assertThat(solo.values()).containsExactlyInAnyOrderElementsOf(values(0, 200));
    assertThat(allValues(List.of(x, y))).containsExactlyInAnyOrderElementsOf(values(0, 200));
  }

  @Test
  void aStaticMemberRestartedWithinItsSessionGetsItsPartitionsBackWithoutARebalance() {
    createTopic("orders", 6);
    GroupMember a = member("a", GroupMember.props("g", "group.instance.id", "instance-a"), "orders");
    GroupMember b = member("b", GroupMember.props("g", "group.instance.id", "instance-b"), "orders");
    awaitBalanced(3, a, b);
    Set<TopicPartition> ofA = a.assignment();
    int generation = b.consumer.groupMetadata().generationId();
    List<String> eventsOfB = List.copyOf(b.events);

    a.close(); // a static member sends no LeaveGroup: its place waits for session.timeout.ms (6 s)
    produce("orders", 6, 0, 60);
    GroupMember again = member("a2", GroupMember.props("g", "group.instance.id", "instance-a"), "orders");
    await().atMost(WAIT).until(() -> again.assignment().equals(ofA));
    await().atMost(WAIT).until(() -> allValues(List.of(a, b, again)).size() >= 60);

    assertThat(again.consumer.groupMetadata().generationId()).isEqualTo(generation);
    assertThat(b.consumer.groupMetadata().generationId()).as("no rebalance").isEqualTo(generation);
    assertThat(b.events).as("b saw no rebalance").isEqualTo(eventsOfB);
    assertThat(again.events).containsExactly("assigned " + sorted(ofA));
  }

  @Test
  void aMemberJoiningACooperativeGroupTakesOnlyWhatMustMoveAndTheOthersKeepConsuming() {
    createTopic("orders", 6);
    Map<String, Object> cooperative = Map.of("partition.assignment.strategy", CooperativeStickyAssignor.class.getName());
    GroupMember a = member("a", withAll(GroupMember.props("g"), cooperative), "orders");
    GroupMember b = member("b", withAll(GroupMember.props("g"), cooperative), "orders");
    awaitBalanced(3, a, b);
    Set<TopicPartition> ofA = a.assignment();
    Set<TopicPartition> ofB = b.assignment();
    int eventsOfA = a.events.size();
    int eventsOfB = b.events.size();

    GroupMember c = member("c", withAll(GroupMember.props("g"), cooperative), "orders");
    int sent = 0;
    while (!(a.assignment().size() == 2 && b.assignment().size() == 2 && c.assignment().size() == 2)) {
      produce("orders", 6, sent, 6); // one record per partition, all through the rebalance
      sent += 6;
      assertThat(sent).as("the group did not settle").isLessThan(60_000);
    }
    produce("orders", 6, sent, 6);
    int total = sent + 6;
    await().atMost(WAIT).until(() -> allValues(List.of(a, b, c)).size() >= total);

    assertThat(ofA).containsAll(a.assignment());
    assertThat(ofB).containsAll(b.assignment());
    Set<TopicPartition> moved = new HashSet<>(c.assignment());
    assertThat(moved).hasSize(2);
    // a and b revoked exactly what went to c, nothing they kept
    assertThat(revokedAfter(a, eventsOfA)).isEqualTo(diff(ofA, a.assignment()));
    assertThat(revokedAfter(b, eventsOfB)).isEqualTo(diff(ofB, b.assignment()));
    assertThat(allValues(List.of(a, b, c))).containsExactlyInAnyOrderElementsOf(values(0, total));
  }

  @Test
  void theListenerHearsAssignedRevokedAndLostInKafkasOrder() {
    createTopic("orders", 2);
    Map<String, Object> shortPollInterval = GroupMember.props("g", "max.poll.interval.ms", 3000);
    GroupMember a = member("a", shortPollInterval, "orders");
    awaitBalanced(2, a);
    GroupMember b = member("b", shortPollInterval, "orders");
    awaitBalanced(1, a, b);
    Set<TopicPartition> kept = a.assignment();

    a.holdPolling(); // past max.poll.interval.ms: the member leaves the group, its partitions are lost
    await().atMost(WAIT).until(() -> b.assignment().size() == 2);
    a.resumePolling();
    awaitBalanced(1, a, b);

    assertThat(a.events).hasSize(5);
    assertThat(a.events.get(0)).isEqualTo("assigned [orders-0, orders-1]");
    assertThat(a.events.get(1)).isEqualTo("revoked [orders-0, orders-1]"); // eager: everything, before the join
    assertThat(a.events.get(2)).isEqualTo("assigned " + sorted(kept));
    assertThat(a.events.get(3)).isEqualTo("lost " + sorted(kept)); // not revoked: the group moved on without it
    assertThat(a.events.get(4)).startsWith("assigned [orders-");
  }

  static Map<String, Object> withAll(Map<String, Object> base, Map<String, Object> more) {
    Map<String, Object> all = new java.util.HashMap<>(base);
    all.putAll(more);
    return all;
  }

  static List<TopicPartition> sorted(Set<TopicPartition> partitions) {
    List<TopicPartition> list = new ArrayList<>(partitions);
    list.sort(java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
    return list;
  }

  static Set<TopicPartition> diff(Set<TopicPartition> from, Set<TopicPartition> minus) {
    Set<TopicPartition> d = new HashSet<>(from);
    d.removeAll(minus);
    return d;
  }

  /** Every partition named in a "revoked" event after the first {@code skip} events. */
  static Set<TopicPartition> revokedAfter(GroupMember m, int skip) {
    Set<TopicPartition> revoked = new HashSet<>();
    for (String event : m.events.subList(skip, m.events.size())) {
      if (event.startsWith("revoked [") && event.length() > "revoked []".length()) {
        for (String p : event.substring("revoked [".length(), event.length() - 1).split(", ")) {
          int dash = p.lastIndexOf('-');
          revoked.add(new TopicPartition(p.substring(0, dash), Integer.parseInt(p.substring(dash + 1))));
        }
      }
    }
    return revoked;
  }

  static List<ConsumerRecord<byte[], byte[]>> pollUntil(BrookConsumer consumer, int count) {
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (all.size() < count && System.nanoTime() < deadline) {
      all.addAll(consumer.poll(Duration.ofMillis(100)).await());
    }
    return all;
  }
}
