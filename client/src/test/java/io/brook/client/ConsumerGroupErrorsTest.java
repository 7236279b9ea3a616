package io.brook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.GroupApi;
import io.brook.protocol.message.HeartbeatRequest;
import io.brook.protocol.message.JoinGroupRequest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves the group member's answers to the coordinator's errors, against a fake coordinator:
 * retries while it loads or is unavailable, a coordinator that moved is found again, rebalance
 * errors on commits, lost generations, a fenced instance, and where the listener runs.
 */
class ConsumerGroupErrorsTest extends ClientTestBase {
  static final TopicPartition TP = new TopicPartition("t", 0);
  FakeGroupCoordinator coordinator;
  final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startCoordinator() {
    coordinator = FakeGroupCoordinator.start(vertx, 1, 2);
    broker.createTopic("t", 1);
  }

  Map<String, Object> groupProps(Object... more) {
    Map<String, Object> props = props("group.id", "g", "client.id", "c", "auto.offset.reset", "earliest",
        "heartbeat.interval.ms", 50, "session.timeout.ms", 6000, "retry.backoff.ms", 20, "fetch.max.wait.ms", 50);
    for (int i = 0; i < more.length; i += 2) {
      props.put((String) more[i], more[i + 1]);
    }
    return props;
  }

  BrookConsumer subscribed(Map<String, Object> props) {
    BrookConsumer consumer = BrookClients.consumer(vertx, props);
    consumer.subscribe(List.of("t"), recording());
    return consumer;
  }

  ConsumerRebalanceListener recording() {
    return new RecordingListener(events);
  }

  void produce(int count) {
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 1));
    List<Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(producer.send(new ProducerRecord<>("t", 0, null, bytes("v" + i))));
    }
    Future.all(sent).await();
    producer.close();
  }

  void pollUntilAssigned(BrookConsumer consumer) {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      consumer.poll(Duration.ofMillis(50)).await();
      return consumer.assignment().contains(TP);
    });
  }

  @Test
  void theJoinRetriesWhileTheCoordinatorIsUnavailableOrLoading() {
    coordinator.failNextFinds(Errors.COORDINATOR_NOT_AVAILABLE, Errors.COORDINATOR_NOT_AVAILABLE);
    coordinator.failNext(GroupApi.JOIN_GROUP, Errors.COORDINATOR_LOAD_IN_PROGRESS, Errors.COORDINATOR_LOAD_IN_PROGRESS,
        Errors.NOT_COORDINATOR);
    coordinator.failNext(GroupApi.OFFSET_FETCH, Errors.COORDINATOR_LOAD_IN_PROGRESS);
    coordinator.committed(TP, 3);
    produce(10);
    BrookConsumer consumer = subscribed(groupProps());
    List<ConsumerRecord<byte[], byte[]>> records = pollAtLeast(consumer, 7, Duration.ofSeconds(10));
    assertThat(records).extracting(ConsumerRecord::offset).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L);
    // three refused joins, MEMBER_ID_REQUIRED, then the join with the id
    assertThat(coordinator.calls(GroupApi.JOIN_GROUP)).hasSize(5);
    assertThat(events).containsExactly("assigned [t-0]");
    consumer.close();
  }

  @Test
  void aCoordinatorThatMovedIsFoundAgainWithoutARebalance() {
    BrookConsumer consumer = subscribed(groupProps());
    pollUntilAssigned(consumer);
    int generation = consumer.groupMetadata().generationId();
    coordinator.moveTo(2); // node 1 answers NOT_COORDINATOR from now on
    await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.calls(GroupApi.HEARTBEAT).stream()
        .filter(c -> c.node() == 2).count() >= 2);
    consumer.commitSync(Map.of(TP, new OffsetAndMetadata(7))).await();
    assertThat(coordinator.committed(TP).offset()).isEqualTo(7);
    assertThat(consumer.poll(Duration.ofMillis(100)).await()).isEmpty();
    assertThat(consumer.groupMetadata().generationId()).isEqualTo(generation);
    assertThat(events).containsExactly("assigned [t-0]");
    consumer.close();
  }

  @Test
  void commitsReportRebalanceErrorsAndRetryRetriableOnes() {
    BrookConsumer consumer = subscribed(groupProps("enable.auto.commit", false));
    pollUntilAssigned(consumer);
    Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(TP, new OffsetAndMetadata(5));

    coordinator.failNext(GroupApi.OFFSET_COMMIT, Errors.COORDINATOR_LOAD_IN_PROGRESS, Errors.NOT_COORDINATOR);
    consumer.commitSync(offsets).await();
    assertThat(coordinator.committed(TP).offset()).isEqualTo(5);

    coordinator.failNext(GroupApi.OFFSET_COMMIT, Errors.COORDINATOR_LOAD_IN_PROGRESS);
    assertThat(catchThrowable(() -> consumer.commitAsync(offsets).await()))
        .isInstanceOf(org.apache.kafka.clients.consumer.RetriableCommitFailedException.class);

    coordinator.failNext(GroupApi.OFFSET_COMMIT, Errors.REBALANCE_IN_PROGRESS);
    assertThat(catchThrowable(() -> consumer.commitSync(offsets).await()))
        .isInstanceOf(RebalanceInProgressException.class);
    pollUntilAssigned(consumer); // the rebalance it asked for

    coordinator.failNext(GroupApi.OFFSET_COMMIT, Errors.ILLEGAL_GENERATION);
    assertThat(catchThrowable(() -> consumer.commitSync(offsets).await())).isInstanceOf(CommitFailedException.class);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      consumer.poll(Duration.ofMillis(50)).await();
      return events.contains("lost [t-0]") && consumer.assignment().contains(TP);
    });
    consumer.close();
  }

  @Test
  void anUnknownMemberLosesItsPartitionsAndJoinsAgainWithANewId() {
    BrookConsumer consumer = subscribed(groupProps());
    pollUntilAssigned(consumer);
    String before = consumer.groupMetadata().memberId();
    coordinator.failNext(GroupApi.HEARTBEAT, Errors.UNKNOWN_MEMBER_ID);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      consumer.poll(Duration.ofMillis(50)).await();
      return consumer.groupMetadata().generationId() > 0 && !consumer.groupMetadata().memberId().equals(before);
    });
    assertThat(events).containsExactly("assigned [t-0]", "lost [t-0]", "assigned [t-0]");
    List<FakeGroupCoordinator.Call> joins = coordinator.calls(GroupApi.JOIN_GROUP);
    assertThat(((JoinGroupRequest) joins.get(joins.size() - 2).request()).memberId()).as("a fresh member id").isEmpty();
    consumer.close();
  }

  @Test
  void aFencedStaticMemberFailsEveryPollAndCommitAfter() {
    BrookConsumer consumer = subscribed(groupProps("group.instance.id", "i-1"));
    pollUntilAssigned(consumer);
    coordinator.failNext(GroupApi.HEARTBEAT, Errors.FENCED_INSTANCE_ID);
    Throwable first = await().atMost(Duration.ofSeconds(10))
        .until(() -> catchThrowable(() -> consumer.poll(Duration.ofMillis(50)).await()), e -> e != null);
    assertThat(first).isInstanceOf(FencedInstanceIdException.class);
    assertThat(catchThrowable(() -> consumer.poll(Duration.ofMillis(10)).await()))
        .isInstanceOf(FencedInstanceIdException.class);
    assertThat(catchThrowable(() -> consumer.commitSync().await())).isInstanceOf(FencedInstanceIdException.class);
    int heartbeats = coordinator.calls(GroupApi.HEARTBEAT).size();
    consumer.close();
    assertThat(coordinator.calls(GroupApi.LEAVE_GROUP)).as("a static member never leaves").isEmpty();
    assertThat(coordinator.calls(GroupApi.HEARTBEAT)).as("no heartbeat after the fence").hasSize(heartbeats);
    assertThat(((HeartbeatRequest) coordinator.calls(GroupApi.HEARTBEAT).get(0).request()).groupInstanceId())
        .isEqualTo("i-1");
  }

  @Test
  void theListenerRunsOnThePollersContextInsideThePoll() {
    BrookConsumer consumer = BrookClients.consumer(vertx, groupProps());
    Context verticle = vertx.getOrCreateContext();
    List<Context> ranOn = new CopyOnWriteArrayList<>();
    consumer.subscribe(List.of("t"), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        ranOn.add(Vertx.currentContext());
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        ranOn.add(Vertx.currentContext());
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      Promise<Boolean> assigned = Promise.promise();
      verticle.runOnContext(v -> consumer.poll(Duration.ofMillis(50))
          .onComplete(ar -> assigned.complete(!ranOn.isEmpty())));
      return assigned.future().await();
    });
    assertThat(ranOn).containsOnly(verticle);
    consumer.close();
    assertThat(ranOn).hasSize(2); // close revoked t-0 on the closing thread's side (no context: the consumer's)
  }

  @Test
  void enforceRebalanceJoinsAgainAtTheNextPoll() {
    BrookConsumer consumer = subscribed(groupProps());
    pollUntilAssigned(consumer);
    int generation = consumer.groupMetadata().generationId();
    int joins = coordinator.calls(GroupApi.JOIN_GROUP).size();
    consumer.enforceRebalance();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      consumer.poll(Duration.ofMillis(50)).await();
      return consumer.groupMetadata().generationId() > generation;
    });
    assertThat(coordinator.calls(GroupApi.JOIN_GROUP)).hasSize(joins + 1);
    // eager (the default assignors): everything revoked before the join, assigned after
    assertThat(events).containsExactly("assigned [t-0]", "revoked [t-0]", "assigned [t-0]");
    consumer.close();
  }

  @Test
  void groupCallsNeedAGroupId() {
    BrookConsumer consumer = BrookClients.consumer(vertx, props());
    assertThat(catchThrowable(() -> consumer.subscribe(List.of("t")))).isInstanceOf(InvalidGroupIdException.class);
    assertThat(catchThrowable(() -> consumer.commitSync().await())).isInstanceOf(InvalidGroupIdException.class);
    assertThat(catchThrowable(consumer::groupMetadata)).isInstanceOf(InvalidGroupIdException.class);
    consumer.assign(List.of(TP));
    assertThat(catchThrowable(() -> consumer.subscribe(java.util.regex.Pattern.compile("t"))))
        .isInstanceOf(InvalidGroupIdException.class);
    consumer.close();
  }

  @Test
  void assignedPartitionsWithAGroupIdStartFromTheCommittedOffsetAndCommitOutsideTheGroup() {
    coordinator.committed(TP, 4);
    produce(6);
    BrookConsumer consumer = BrookClients.consumer(vertx, groupProps("enable.auto.commit", false));
    consumer.assign(List.of(TP));
    assertThat(pollAtLeast(consumer, 2, Duration.ofSeconds(10))).extracting(ConsumerRecord::offset)
        .containsExactly(4L, 5L);
    consumer.commitSync().await();
    assertThat(coordinator.committed(TP).offset()).isEqualTo(6);
    assertThat(coordinator.calls(GroupApi.OFFSET_COMMIT)).singleElement()
        .satisfies(c -> assertThat(((io.brook.protocol.message.OffsetCommitRequest) c.request()).generationId())
            .isEqualTo(-1));
    assertThat(coordinator.calls(GroupApi.JOIN_GROUP)).isEmpty();
    consumer.close();
  }
}
