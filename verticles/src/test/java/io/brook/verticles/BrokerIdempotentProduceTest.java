package io.brook.verticles;

import static io.brook.verticles.BrokerHarness.NODE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.AclEntry;
import io.brook.protocol.message.CreateAclsRequest;
import io.brook.protocol.message.InitProducerIdRequest;
import io.brook.protocol.message.InitProducerIdResponse;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.storage.Time;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The idempotent producer through a broker: producer ids from {@code brook.api.init-producer-id} are new
 * each time (from the controller's committed block), and an acks=all batch sent again is answered with
 * the offsets it was written at, not written twice; a gap in the sequence is refused.
 */
class BrokerIdempotentProduceTest {
  @TempDir
  Path dataDir;

  private static ProduceRequest produce(long producerId, int sequence, String value) {
    return new ProduceRequest("idem", 0, ProduceRequest.ACKS_ALL, 30_000, MemoryRecords.withIdempotentRecords(
        Compression.NONE, producerId, (short) 0, sequence, new SimpleRecord(value.getBytes())).buffer());
  }

  @Test
  void aRetriedBatchIsWrittenOnceAndIdsAreNeverGivenTwice() {
    try (BrokerHarness broker = new BrokerHarness(dataDir, Map.of(), Time.SYSTEM)) {
      InitProducerIdResponse first = broker.calls.request(Addresses.INIT_PRODUCER_ID, new InitProducerIdRequest());
      broker.calls.createTopic("idem", 1, Map.of()); // (an id before any topic exists, as a producer starting early)
      InitProducerIdResponse second = broker.calls.request(Addresses.INIT_PRODUCER_ID, new InitProducerIdRequest());
      assertThat(second.producerId()).isNotEqualTo(first.producerId());
      assertThat(first.producerEpoch()).isZero();

      long producerId = first.producerId();
      ProduceResponse a = broker.calls.request(Addresses.produce(NODE_ID), produce(producerId, 0, "a"));
      ProduceResponse b = broker.calls.request(Addresses.produce(NODE_ID), produce(producerId, 1, "b"));
      ProduceResponse bAgain = broker.calls.request(Addresses.produce(NODE_ID), produce(producerId, 1, "b"));
      assertThat(bAgain.baseOffset()).isEqualTo(b.baseOffset()).isEqualTo(a.baseOffset() + 1);
      assertThat(broker.calls.errorOf(Addresses.produce(NODE_ID), produce(producerId, 5, "gap")))
          .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
      assertThat(broker.calls.readAll("idem", 0, 0)).containsExactly("0:a", "1:b");
    }
  }

  @Test
  void batchesSentOneAfterAnotherWithoutWaitingAreAppendedInTheOrderTheyWereSent() {
    // as the Kafka listener and Brook's producer send them: pipelined from one event loop. The broker's
    // several request handlers must not reorder them (the idempotent producer would be refused a "gap")
    try (BrokerHarness broker = new BrokerHarness(dataDir, Map.of(), Time.SYSTEM)) {
      broker.calls.createTopic("idem", 1, Map.of());
      long producerId = broker.calls.<InitProducerIdResponse>request(Addresses.INIT_PRODUCER_ID,
          new InitProducerIdRequest()).producerId();
      int batches = 400;
      java.util.concurrent.CompletableFuture<List<io.vertx.core.Future<Object>>> sent = new java.util.concurrent.CompletableFuture<>();
      broker.vertx.getOrCreateContext().runOnContext(v -> {
        List<io.vertx.core.Future<Object>> replies = new java.util.ArrayList<>();
        for (int i = 0; i < batches; i++) {
          replies.add(broker.vertx.eventBus().request(Addresses.produce(NODE_ID), produce(producerId, i, "v" + i),
              new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(30_000)).map(m -> m.body()));
        }
        sent.complete(replies);
      });
      List<io.vertx.core.Future<Object>> replies = sent.join();
      io.vertx.core.Future.join(replies).otherwiseEmpty().await();
      assertThat(replies).allSatisfy(reply -> assertThat(reply.cause()).as("a batch refused").isNull());
      assertThat(broker.calls.readAll("idem", 0, 0)).containsExactlyElementsOf(
          java.util.stream.IntStream.range(0, batches).mapToObj(i -> i + ":v" + i).toList());
    }
  }

  @Test
  void theSchedulersTickForgetsAProducerIdleForProducerIdExpirationMs() {
    io.brook.storage.MockTime time = new io.brook.storage.MockTime(System.currentTimeMillis());
    // the scheduler's own timer is far away: the test publishes the tick itself
    try (BrokerHarness broker = new BrokerHarness(dataDir, Map.of("producer.id.expiration.ms", 60_000,
        "producer.id.expiration.check.interval.ms", 3_600_000), time)) {
      broker.calls.createTopic("idem", 1, Map.of());
      long producerId = broker.calls.<InitProducerIdResponse>request(Addresses.INIT_PRODUCER_ID,
          new InitProducerIdRequest()).producerId();
      broker.calls.request(Addresses.produce(NODE_ID), produce(producerId, 0, "a", time.milliseconds()));
      assertThat(broker.calls.errorOf(Addresses.produce(NODE_ID), produce(producerId, 5, "gap", time.milliseconds())))
          .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);

      time.sleep(60_000);
      broker.vertx.eventBus().publish(Addresses.LOCAL_PRODUCER_EXPIRATION_TICK, 1L);

      // forgotten: its next batch is accepted at any sequence (Kafka's answer for a producer it does not know)
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
        broker.calls.request(Addresses.produce(NODE_ID), produce(producerId, 5, "after", time.milliseconds()));
        return true;
      });
      assertThat(broker.calls.readAll("idem", 0, 0)).containsExactly("0:a", "1:after");
    }
  }

  private static ProduceRequest produce(long producerId, int sequence, String value, long timestampMs) {
    return new ProduceRequest("idem", 0, ProduceRequest.ACKS_ALL, 30_000, MemoryRecords.withIdempotentRecords(
        Compression.NONE, producerId, (short) 0, sequence, new SimpleRecord(timestampMs, null, value.getBytes())).buffer());
  }

  @Test
  void anIdOnlyForWhoMayWriteIdempotentlyOrToSomeTopic() throws Exception {
    try (BrokerHarness broker = new BrokerHarness(dataDir, Map.of("authorizer.enabled", true), Time.SYSTEM)) {
      broker.calls.createTopic("idem", 1, Map.of());
      DeliveryOptions alice = new DeliveryOptions().setSendTimeout(10_000)
          .addHeader(Addresses.PRINCIPAL_HEADER, "User:alice").addHeader(Addresses.CLIENT_HOST_HEADER, "127.0.0.1");
      Throwable refused = catchThrowable(() -> broker.vertx.eventBus().request(Addresses.INIT_PRODUCER_ID,
          new InitProducerIdRequest(), alice).await());
      assertThat(BrookErrors.errorOf(refused)).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED);

      broker.calls.request(Addresses.CREATE_ACLS, new CreateAclsRequest(List.of(new AclEntry("TOPIC", "idem", "LITERAL",
          "User:alice", "*", "WRITE", "ALLOW"))));
      InitProducerIdResponse given = (InitProducerIdResponse) broker.vertx.eventBus()
          .request(Addresses.INIT_PRODUCER_ID, new InitProducerIdRequest(), alice).await().body();
      assertThat(given.producerId()).isNotNegative();
    }
  }
}
