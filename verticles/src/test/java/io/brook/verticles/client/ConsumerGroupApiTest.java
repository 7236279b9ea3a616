package io.brook.verticles.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.brook.client.BrookClients;
import io.brook.client.BrookConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.junit.jupiter.api.Test;

/** The consumer's group calls on a real broker: pause/resume, unsubscribe, patterns, commits, fencing. */
class ConsumerGroupApiTest extends GroupTestBase {
  static final TopicPartition T0 = new TopicPartition("t", 0);
  static final TopicPartition T1 = new TopicPartition("t", 1);

  @Test
  void aPausedPartitionIsNeitherFetchedNorReturnedUntilResumed() {
    createTopic("t", 2);
    GroupMember a = member("a", GroupMember.props("g"), "t");
    awaitBalanced(2, a);
    a.consumer.pause(List.of(T0));
    assertThat(a.consumer.paused()).containsExactly(T0);
    produce("t", 2, 0, 20); // even values to t-0, odd to t-1
    await().atMost(WAIT).until(() -> a.records.size() >= 10);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> a.records.stream().noneMatch(r -> r.startsWith("t-0@")));

    a.consumer.resume(List.of(T0));
    await().atMost(WAIT).until(() -> a.records.size() >= 20);
    assertThat(a.values()).containsExactlyInAnyOrderElementsOf(values(0, 20));
    assertThat(a.consumer.paused()).isEmpty();
  }

  @Test
  void unsubscribeRevokesLeavesTheGroupAndASubscribeJoinsAgain() {
    createTopic("t", 2);
    GroupMember other = member("other", GroupMember.props("g"), "t");
    awaitBalanced(2, other);
    List<String> events = new ArrayList<>();
    BrookConsumer consumer = BrookClients.consumer(broker.vertx, GroupMember.props("g"));
    consumer.subscribe(List.of("t"), GroupMember.recording(events));
    await().atMost(WAIT).until(() -> {
      consumer.poll(Duration.ofMillis(100)).await();
      return consumer.assignment().size() == 1 && other.assignment().size() == 1;
    });
    Set<TopicPartition> had = consumer.assignment();

    consumer.unsubscribe().await();
    assertThat(events).last().isEqualTo("revoked " + List.copyOf(had));
    assertThat(consumer.subscription()).isEmpty();
    assertThat(consumer.assignment()).isEmpty();
    assertThat(catchThrowable(() -> consumer.poll(Duration.ofMillis(10)).await()))
        .isInstanceOf(IllegalStateException.class);
    awaitBalanced(2, other); // LeaveGroup: the other member takes everything at once

    consumer.subscribe(List.of("t"), GroupMember.recording(events));
    await().atMost(WAIT).until(() -> {
      consumer.poll(Duration.ofMillis(100)).await();
      return consumer.assignment().size() == 1 && other.assignment().size() == 1;
    });
    consumer.close();
  }

  @Test
  void aPatternSubscriptionFollowsTopicsCreatedLaterAndNeverMatchesInternalOnes() {
    createTopic("orders-eu", 2);
    createTopic("payments", 1);
    GroupMember a = member("a", GroupMember.props("g", "metadata.max.age.ms", 300), Pattern.compile("orders-.*"));
    GroupMember everything = member("all", GroupMember.props("g-all", "metadata.max.age.ms", 300), Pattern.compile(".*"));
    produce("orders-eu", 2, 0, 10);
    produce("payments", 1, 100, 10);
    await().atMost(WAIT).until(() -> a.records.size() >= 10);

    createTopic("orders-us", 1);
    produce("orders-us", 1, 200, 10);
    await().atMost(WAIT).until(() -> a.records.size() >= 20);
    assertThat(a.values()).containsExactlyInAnyOrderElementsOf(concat(values(0, 10), values(200, 10)));
    assertThat(a.consumer.subscription()).containsExactlyInAnyOrder("orders-eu", "orders-us");
    await().atMost(WAIT).until(() -> everything.consumer.subscription().size() == 3);
    assertThat(everything.consumer.subscription()).noneMatch(t -> t.startsWith("__"));
  }

  @Test
  void commitsAreTheGroupsAndSeekMovesOnlyThePosition() {
    createTopic("t", 2);
    produce("t", 2, 0, 20);
    BrookConsumer consumer = BrookClients.consumer(broker.vertx, GroupMember.props("g", "enable.auto.commit", false));
    consumer.subscribe(List.of("t"));
    assertThat(ConsumerGroupTest.pollUntil(consumer, 20)).hasSize(20);
    assertThat(consumer.groupMetadata().generationId()).isPositive();
    assertThat(consumer.groupMetadata().memberId()).startsWith("test-");

    Map<TopicPartition, OffsetAndMetadata> committed = consumer.commitAsync().await();
    assertThat(committed).containsOnlyKeys(T0, T1);
    assertThat(committed.get(T0).offset()).isEqualTo(10);
    assertThat(committed.get(T0).leaderEpoch()).as("the leader epoch of the last record").isEqualTo(Optional.of(0));
    consumer.commitSync(Map.of(T1, new OffsetAndMetadata(3, "three"))).await();
    consumer.seek(T0, 2);
    Map<TopicPartition, OffsetAndMetadata> read = consumer.committed(Set.of(T0, T1, new TopicPartition("t", 7))).await();
    assertThat(read.get(T0).offset()).as("seek does not commit").isEqualTo(10);
    assertThat(read.get(T1).offset()).isEqualTo(3);
    assertThat(read.get(T1).metadata()).isEqualTo("three");
    assertThat(read).containsEntry(new TopicPartition("t", 7), null);
    assertThat(consumer.position(T0)).isEqualTo(2);
    consumer.close();
  }

  @Test
  void aSecondInstanceWithTheSameGroupInstanceIdFencesTheFirst() {
    createTopic("t", 2);
    GroupMember first = member("first", GroupMember.props("g", "group.instance.id", "i-1"), "t");
    awaitBalanced(2, first);
    GroupMember second = member("second", GroupMember.props("g", "group.instance.id", "i-1"), "t");
    awaitBalanced(2, second);
    await().atMost(WAIT).until(() -> !first.errors.isEmpty());
    assertThat(first.errors).allSatisfy(e -> assertThat(e).isInstanceOf(FencedInstanceIdException.class));
    Throwable commit = catchThrowable(() -> first.consumer.commitSync().await());
    assertThat(commit).isInstanceOf(FencedInstanceIdException.class);
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
