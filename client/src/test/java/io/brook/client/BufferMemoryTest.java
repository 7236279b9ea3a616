package io.brook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.client.internals.BrookProducerImpl;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** Proves buffer.memory bounds unacknowledged bytes: send blocks up to max.block.ms off an event loop, fails fast on one. */
class BufferMemoryTest extends ClientTestBase {

  @Test
  void sendBlocksThenFailsWhenMemoryIsUsedUp() {
    broker.createTopic("full", 1);
    broker.holdProduceReplies();
    BrookProducer producer = BrookClients.producer(vertx, props("buffer.memory", 4096, "batch.size", 1024,
        "linger.ms", 0, "max.block.ms", 300));
    List<Future<RecordMetadata>> accepted = new ArrayList<>();
    for (int i = 0; i < 4; i++) { // four batches of 1024 reserved bytes fill the 4096
      accepted.add(producer.send(new ProducerRecord<>("full", 0, null, new byte[900])));
    }
    await().until(() -> broker.produceRequests().size() >= 1);

    long start = System.nanoTime();
    Future<RecordMetadata> blocked = producer.send(new ProducerRecord<>("full", 0, null, new byte[900]));
    long blockedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(blocked.failed()).isTrue();
    assertThat(blocked.cause()).isInstanceOf(BufferExhaustedException.class);
    assertThat(blockedMs).isGreaterThanOrEqualTo(250);

    Promise<Long> onLoop = Promise.promise();
    vertx.runOnContext(v -> {
      long t0 = System.nanoTime();
      Future<RecordMetadata> fast = producer.send(new ProducerRecord<>("full", 0, null, new byte[900]));
      onLoop.complete(fast.failed() && fast.cause() instanceof BufferExhaustedException
          ? (System.nanoTime() - t0) / 1_000_000 : -1L);
    });
    assertThat(onLoop.future().await()).isBetween(0L, 50L);

    broker.releaseProduceReplies();
    Future.all(accepted).await();
    RecordMetadata after = producer.send(new ProducerRecord<>("full", 0, null, new byte[900])).await();
    assertThat(after.offset()).isEqualTo(4);
    await().until(() -> ((BrookProducerImpl) producer).availableMemory() == 4096);
    producer.close();
  }
}
