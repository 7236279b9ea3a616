package io.brook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.message.ProduceRequest;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

/** Proves records are batched per partition: sent when batch.size is reached, or after linger.ms. */
class ProducerBatchingTest extends ClientTestBase {

  @Test
  void fullBatchesGoWithoutWaitingForLinger() {
    broker.createTopic("by-size", 1);
    BrookProducer producer = BrookClients.producer(vertx, props("batch.size", 1024, "linger.ms", 600_000));
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sent.add(producer.send(new ProducerRecord<>("by-size", 0, null, new byte[100])));
    }
    // linger is 10 minutes: only full batches can have been sent
    await().atMost(Duration.ofSeconds(10)).until(() -> broker.partition("by-size", 0).nextOffset() >= 80);
    List<RecordBatch> batches = broker.partition("by-size", 0).batches();
    assertThat(batches).hasSizeGreaterThan(5);
    for (RecordBatch batch : batches) {
      assertThat(batch.sizeInBytes()).isLessThanOrEqualTo(1024);
      assertThat(batch.countOrNull()).isGreaterThan(5);
    }
    assertThat(sent.get(99).isComplete()).isFalse(); // the open batch waits for linger
    producer.flush().await();
    assertThat(sent.get(99).await().offset()).isEqualTo(99);
    for (int i = 0; i < 100; i++) {
      assertThat(sent.get(i).result().offset()).isEqualTo(i);
    }
    producer.close();
  }

  @Test
  void aBatchThatIsNotFullGoesAfterLinger() {
    broker.createTopic("by-linger", 1);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 300));
    long start = System.nanoTime();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sent.add(producer.send(record("by-linger", "k" + i, "v" + i)));
    }
    Future.all(sent).await();
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(elapsedMs).isGreaterThanOrEqualTo(250);
    List<ProduceRequest> requests = broker.produceRequests();
    assertThat(requests).hasSize(1);
    assertThat(broker.partition("by-linger", 0).batches()).singleElement()
        .satisfies(batch -> assertThat(batch.countOrNull()).isEqualTo(5));
    producer.close();
  }

  @Test
  void requestsCarrySeveralBatchesWhenBacklogged() {
    broker.createTopic("backlog", 1);
    broker.holdProduceReplies();
    BrookProducer producer = BrookClients.producer(vertx,
        props("batch.size", 512, "linger.ms", 0, "max.in.flight.requests.per.connection", 1,
            "enable.idempotence", false)); // an idempotent request holds one batch (ProducerIdempotenceTest)
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      sent.add(producer.send(new ProducerRecord<>("backlog", 0, null, new byte[100])));
    }
    await().until(() -> broker.produceRequests().size() == 1); // the one in flight
    broker.releaseProduceReplies();
    Future.all(sent).await();
    // while one request was in flight the rest queued up and left in one request of several batches
    assertThat(broker.produceRequests().size()).isLessThan(5);
    assertThat(broker.partition("backlog", 0).batches().size()).isGreaterThan(broker.produceRequests().size());
    for (int i = 0; i < 50; i++) {
      assertThat(sent.get(i).result().offset()).isEqualTo(i);
    }
    producer.close();
  }

  @Test
  void acksZeroCompletesWithUnknownOffsets() {
    broker.createTopic("fire", 1);
    BrookProducer producer = BrookClients.producer(vertx, props("acks", "0", "linger.ms", 0));
    RecordMetadata sent = producer.send(record("fire", null, "x")).await();
    assertThat(sent.offset()).isEqualTo(-1);
    assertThat(sent.hasOffset()).isFalse();
    await().until(() -> broker.partition("fire", 0).nextOffset() == 1);
    assertThat(broker.produceRequests().get(0).acks()).isZero();
    // the barrier after the produce gives the batch's memory back
    await().until(() -> ((io.brook.client.internals.BrookProducerImpl) producer).availableMemory() == 33554432L);
    producer.close();
  }
}
