package io.brook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Proves a consumer's fetches carry the leader epoch of its metadata, and that a leader refusing the
 * epoch (replaced, or not yet told it leads) makes the consumer refresh and fetch again from where
 * it was: never a reset, which with auto.offset.reset=earliest would deliver everything again.
 */
class ConsumerLeaderEpochTest extends ClientTestBase {
  static final TopicPartition TP = new TopicPartition("epochs", 0);

  @Test
  void aFetchRefusedForItsEpochIsRetriedFromTheSamePositionWithTheNewEpoch() {
    broker.createTopic(TP.topic(), 1);
    broker.leaderEpoch(4);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 1));
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sent.add(producer.send(new ProducerRecord<>(TP.topic(), 0, null, bytes("v" + i))));
    }
    Future.all(sent).await();
    producer.close();

    BrookConsumer consumer = BrookClients.consumer(vertx, props("auto.offset.reset", "earliest",
        "retry.backoff.ms", 10));
    consumer.assign(List.of(TP));
    consumer.seek(TP, 60);
    List<ConsumerRecord<byte[], byte[]>> first = pollAtLeast(consumer, 40, Duration.ofSeconds(10));
    assertThat(first.get(0).offset()).isEqualTo(60);
    assertThat(broker.fetchEpochs()).as("fetches carry the epoch of the consumer's metadata").contains(4)
        .doesNotContain(-1);

    broker.leaderEpoch(5); // a leader change the consumer has not heard of: its fetches are fenced
    BrookProducer more = BrookClients.producer(vertx, props("linger.ms", 1));
    List<Future<RecordMetadata>> later = new ArrayList<>();
    for (int i = 100; i < 110; i++) {
      later.add(more.send(new ProducerRecord<>(TP.topic(), 0, null, bytes("v" + i))));
    }
    Future.all(later).await();
    more.close();

    List<ConsumerRecord<byte[], byte[]>> next = pollAtLeast(consumer, 10, Duration.ofSeconds(10));
    assertThat(next).extracting(ConsumerRecord::offset).as("from where it was, not from the beginning")
        .startsWith(100L).doesNotContain(0L);
    await().atMost(Duration.ofSeconds(5)).until(() -> broker.fetchEpochs().contains(5));
    assertThat(broker.fetchEpochs()).as("fenced at 4, then refreshed to 5").containsSubsequence(4, 5);
    consumer.close();
  }
}
