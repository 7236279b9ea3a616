package io.brook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Future;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

/** Proves the producer's up-front failures: unknown topic or partition, record too large, closed producer. */
class ProducerErrorsTest extends ClientTestBase {

  @Test
  void unknownTopicFailsAfterMetadataRefresh() {
    BrookProducer producer = BrookClients.producer(vertx, props());
    Throwable failure = catchThrowable(() -> producer.send(record("nope", "k", "v")).await());
    assertThat(ProducerRetryTest.unwrap(failure)).isInstanceOf(UnknownTopicOrPartitionException.class);
    producer.close();
  }

  @Test
  void unknownPartitionFails() {
    broker.createTopic("three", 3);
    BrookProducer producer = BrookClients.producer(vertx, props());
    producer.send(new ProducerRecord<>("three", 0, null, bytes("ok"))).await();
    Throwable failure = catchThrowable(() -> producer.send(new ProducerRecord<>("three", 7, null, bytes("v"))).await());
    assertThat(ProducerRetryTest.unwrap(failure)).isInstanceOf(UnknownTopicOrPartitionException.class)
        .hasMessageContaining("Partition 7");
    producer.close();
  }

  @Test
  void recordLargerThanMaxRequestSizeFailsImmediately() {
    broker.createTopic("big", 1);
    BrookProducer producer = BrookClients.producer(vertx, props("max.request.size", 1000));
    Future<RecordMetadata> sent = producer.send(new ProducerRecord<>("big", null, new byte[1001]));
    assertThat(sent.failed()).isTrue();
    assertThat(sent.cause()).isInstanceOf(RecordTooLargeException.class).hasMessageContaining("max.request.size");
    assertThat(broker.produceRequests()).isEmpty();
    producer.close();
  }

  @Test
  void closeFlushesThenSendsFail() {
    broker.createTopic("closing", 1);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 60_000));
    Future<RecordMetadata> pending = producer.send(record("closing", null, "last"));
    producer.close(Duration.ofSeconds(5)).await();
    assertThat(pending.isComplete()).isTrue();
    assertThat(pending.result().offset()).isZero();
    Future<RecordMetadata> after = producer.send(record("closing", null, "too late"));
    assertThat(after.failed()).isTrue();
    assertThat(after.cause()).isInstanceOf(IllegalStateException.class);
  }
}
