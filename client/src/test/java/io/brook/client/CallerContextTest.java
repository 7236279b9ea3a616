package io.brook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Proves the clients complete futures on the caller's Vert.x context, not on their own, as Vert.x's clients do. */
class CallerContextTest extends ClientTestBase {
  static final TopicPartition TP = new TopicPartition("callers", 0);

  @Test
  void producerFuturesCompleteOnTheCallersContext() {
    broker.createTopic(TP.topic(), 1);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0)); // its own context
    Context caller = vertx.getOrCreateContext(); // another one, like a verticle's
    broker.holdProduceReplies(); // the answer comes after the listeners are registered
    Promise<Context> sentOn = Promise.promise();
    Promise<Context> flushedOn = Promise.promise();
    caller.runOnContext(v -> {
      producer.send(new ProducerRecord<>(TP.topic(), 0, null, bytes("v")))
          .onComplete(ar -> sentOn.complete(Vertx.currentContext()));
      producer.flush().onComplete(ar -> flushedOn.complete(Vertx.currentContext()));
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> broker.produceRequests().size() == 1);
    broker.releaseProduceReplies();
    assertThat(sentOn.future().await()).isSameAs(caller);
    assertThat(flushedOn.future().await()).isSameAs(caller);
    producer.close();
  }

  @Test
  void consumerPollCompletesOnTheCallersContext() {
    broker.createTopic(TP.topic(), 1);
    BrookConsumer consumer = BrookClients.consumer(vertx, props("auto.offset.reset", "earliest"));
    consumer.assign(List.of(TP));
    consumer.seek(TP, 0);
    Context caller = vertx.getOrCreateContext();
    Promise<Context> polledOn = Promise.promise();
    caller.runOnContext(v -> consumer.poll(Duration.ofSeconds(10))
        .onComplete(ar -> polledOn.complete(ar.succeeded() && !ar.result().isEmpty() ? Vertx.currentContext() : null)));
    await().atMost(Duration.ofSeconds(5)).until(() -> broker.fetchCount() >= 1); // the poll is waiting
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 0));
    producer.send(new ProducerRecord<>(TP.topic(), 0, null, bytes("v"))).await();
    assertThat(polledOn.future().await()).isSameAs(caller);
    producer.close();
    consumer.close();
  }
}
