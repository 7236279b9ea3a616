package io.brook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Proves the clients never block a Vert.x thread (event loop or worker) and block where Kafka's do off them. */
class VertxThreadsTest extends ClientTestBase {
  static final TopicPartition TP = new TopicPartition("threads", 0);

  @Test
  void positionOnAWorkerThreadDoesNotBlockAndStartsTheReset() throws Exception {
    broker.createTopic(TP.topic(), 1);
    broker.holdListOffsetsReplies(); // the position stays unknown until released
    BrookConsumer consumer = BrookClients.consumer(vertx, props("auto.offset.reset", "earliest"));
    consumer.assign(List.of(TP));
    // Future.await() throws on a worker thread: position() must answer -1 instead of waiting
    long onWorker = vertx.executeBlocking(() -> consumer.position(TP)).await(5, TimeUnit.SECONDS);
    assertThat(onWorker).isEqualTo(-1);
    broker.releaseListOffsetsReplies();
    await().atMost(Duration.ofSeconds(5))
        .until(() -> vertx.executeBlocking(() -> consumer.position(TP)).await(5, TimeUnit.SECONDS) == 0);
    consumer.close();
  }

  @Test
  void sendOnAWorkerThreadFailsFastWhenBufferMemoryIsUsedUp() throws Exception {
    broker.createTopic(TP.topic(), 1);
    broker.holdProduceReplies(); // the first batch keeps its memory
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0, "batch.size", 1024,
        "buffer.memory", 4096, "max.block.ms", 20_000));
    Future<RecordMetadata> big = producer.send(new ProducerRecord<>(TP.topic(), 0, null, new byte[3000]));
    await().atMost(Duration.ofSeconds(5)).until(() -> broker.produceRequests().size() == 1);

    Future<RecordMetadata> onWorker = vertx.executeBlocking(() -> producer.send(record(TP.topic(), "k", "v")))
        .await(5, TimeUnit.SECONDS); // a TimeoutException here: send() blocked the worker for max.block.ms
    assertThat(onWorker.failed()).isTrue();
    assertThat(onWorker.cause()).isInstanceOf(BufferExhaustedException.class).hasMessageContaining("Vert.x thread");

    broker.releaseProduceReplies();
    big.await();
    producer.close();
  }

  @Test
  void closeOffVertxThreadsWaitsForTheRecordsSentBefore() {
    broker.createTopic(TP.topic(), 1);
    // a minute of linger: only close() flushing the batch (and waiting for it) completes the record now
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 60_000));
    Future<RecordMetadata> sent = producer.send(record(TP.topic(), "k", "v"));
    producer.close();
    assertThat(sent.isComplete()).as("close() returned before the record was acknowledged").isTrue();
    assertThat(sent.succeeded()).isTrue();
  }

  @Test
  void closeOnAVertxThreadDoesNotBlock() {
    broker.createTopic(TP.topic(), 1);
    broker.holdProduceReplies(); // the close cannot finish while the answer is held
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0));
    Future<RecordMetadata> sent = producer.send(record(TP.topic(), "k", "v"));
    await().atMost(Duration.ofSeconds(5)).until(() -> broker.produceRequests().size() == 1);
    Context eventLoop = vertx.getOrCreateContext();
    Promise<Void> returned = Promise.promise();
    eventLoop.runOnContext(v -> {
      try {
        producer.close(); // must neither block nor throw (await() on an event loop throws)
        returned.complete();
      } catch (RuntimeException e) {
        returned.fail(e);
      }
    });
    returned.future().await();
    assertThat(sent.isComplete()).isFalse();
    broker.releaseProduceReplies();
    assertThat(sent.await().offset()).isZero();
  }
}
