package io.brook.verticles.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.Caller;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.security.AuthorizerConfig;
import io.brook.verticles.LocalCodecs;
import io.brook.verticles.metrics.BrokerMeters;
import io.brook.verticles.metrics.NodeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The door a node's own front ends (the Kafka listener) use to reach its leaders: the event bus door's
 * checks (validation, internal topics, ACLs) before anything reaches the leader, the leader's answer as
 * is, a leader that is not here as NOT_LEADER_OR_FOLLOWER, and the broker's meters counting what it answered.
 */
class PartitionDoorTest {
  private static final Caller ALICE = new Caller("User:alice", "127.0.0.1");

  private Vertx vertx;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  /** What the stub leader of orders-0 received, with the file-records header or not. */
  private final List<Message<Object>> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void stubLeader() {
    vertx = Vertx.vertx();
    BrookCodecs.register(vertx.eventBus());
    LocalCodecs.register(vertx.eventBus());
    NodeMeterRegistry.install(vertx, registry);
    BrokerMeters.of(vertx).hosted(new TopicPartition("orders", 0));
    vertx.eventBus().localConsumer(Addresses.localLeader("orders", 0), message -> {
      received.add(message);
      if (message.body() instanceof ProduceRequest) {
        message.reply(new ProduceResponse(42, -1, 0));
      } else {
        message.reply(new FetchResponse(7, 0, 7, records(2)));
      }
    }).completion().await();
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static ByteBuffer records(int count) {
    SimpleRecord[] batch = new SimpleRecord[count];
    for (int i = 0; i < count; i++) {
      batch[i] = new SimpleRecord(("v" + i).getBytes());
    }
    return MemoryRecords.withRecords(Compression.NONE, batch).buffer();
  }

  private static ProduceRequest produce(String topic, int partition, short acks) {
    return new ProduceRequest(topic, partition, acks, 30_000, records(3));
  }

  private static FetchRequest fetch(int partition) {
    return FetchRequest.consumer("orders", partition, 0, 1 << 20, 1, 0);
  }

  /** Made and called on a context, as the listener does. */
  private <T> T call(boolean aclsOn, Function<PartitionDoor, Future<T>> request) throws Exception {
    AuthorizerConfig config = new AuthorizerConfig(Map.of(AuthorizerConfig.AUTHORIZER_ENABLED, String.valueOf(aclsOn)));
    Promise<T> answered = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> request.apply(new PartitionDoor(vertx, config)).onComplete(answered));
    return answered.future()
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Errors errorOf(boolean aclsOn, Function<PartitionDoor, Future<?>> request) {
    try {
      call(aclsOn, request::apply);
      throw new AssertionError("the door let the request through");
    } catch (ExecutionException e) {
      return BrookErrors.errorOf(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aProduceTheDoorAdmitsIsAnsweredByTheLeaderAndCounted() throws Exception {
    ProduceResponse answer = call(false, door -> door.produce(produce("orders", 0, ProduceRequest.ACKS_ALL), ALICE));
    assertThat(answer.baseOffset()).isEqualTo(42);
    assertThat(received).hasSize(1);
    assertThat(registry.get("brook.records.in").counter().count()).isEqualTo(3);
    assertThat(registry.get("brook.produce.request").tag("topic", "orders").timer().count()).isEqualTo(1);

    // acks=0: sent, nobody waits, counted as sent
    assertThat(this.<ProduceResponse>call(false, door -> door.produce(produce("orders", 0, ProduceRequest.ACKS_NONE),
        ALICE))).isNull();
    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> received.size() == 2);
    assertThat(registry.get("brook.records.in").counter().count()).isEqualTo(6);
  }

  @Test
  void refusedRequestsNeverReachTheLeader() {
    assertThat(errorOf(true, door -> door.produce(produce("orders", 0, ProduceRequest.ACKS_ALL), ALICE)))
        .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
    assertThat(errorOf(true, door -> door.fetch(fetch(0), ALICE, false)))
        .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
    assertThat(errorOf(false, door -> door.produce(produce("__consumer_offsets", 0, ProduceRequest.ACKS_ALL),
        Caller.MEMBER))).as("an internal topic, even for a cluster member").isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    assertThat(errorOf(false, door -> door.produce(produce("orders", -1, ProduceRequest.ACKS_ALL), ALICE)))
        .isEqualTo(Errors.INVALID_REQUEST);
    assertThat(errorOf(false, door -> door.produce(produce("orders", 0, (short) 2), ALICE)))
        .isEqualTo(Errors.INVALID_REQUIRED_ACKS);
    assertThat(received).isEmpty();
  }

  @Test
  void aClusterMemberPassesTheAcls() throws Exception {
    assertThat(this.<ProduceResponse>call(true, door -> door.produce(produce("orders", 0, ProduceRequest.ACKS_LEADER),
        Caller.MEMBER)).baseOffset()).isEqualTo(42);
  }

  @Test
  void aPartitionNotLedHereSendsTheClientBackToTheMetadata() {
    assertThat(errorOf(false, door -> door.produce(produce("orders", 1, ProduceRequest.ACKS_ALL), ALICE)))
        .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
    assertThat(errorOf(false, door -> door.fetch(fetch(1), ALICE, true)))
        .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
  }

  @Test
  void aFetchAsksForTheFileSliceOnlyWhenTheCallerCanSendIt() throws Exception {
    FetchResponse read = call(false, door -> door.fetch(fetch(0), ALICE,
        true));
    assertThat(read.highWatermark()).isEqualTo(7);
    call(false, door -> door.fetch(fetch(0), ALICE, false));
    assertThat(received).extracting(m -> m.headers().contains(Addresses.FILE_RECORDS_HEADER)).containsExactly(true, false);
    assertThat(registry.get("brook.fetch.request").tag("topic", "orders").timer().count()).isEqualTo(2);
  }
}
