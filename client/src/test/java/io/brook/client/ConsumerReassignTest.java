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

/** Proves a fetch started before unassign + reassign + seek never hands its stale records to the new assignment. */
class ConsumerReassignTest extends ClientTestBase {
  static final TopicPartition TP = new TopicPartition("reassign", 0);

  @Test
  void staleFetchFromBeforeAReassignIsDropped() {
    broker.createTopic(TP.topic(), 1);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 1, "batch.size", 1024));
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sent.add(producer.send(new ProducerRecord<>(TP.topic(), 0, null, bytes("v" + i))));
    }
    Future.all(sent).await();
    producer.close();

    BrookConsumer consumer = BrookClients.consumer(vertx, props("auto.offset.reset", "earliest"));
    broker.holdFetchReplies();
    consumer.assign(List.of(TP));
    consumer.seek(TP, 100);
    await().atMost(Duration.ofSeconds(5)).until(() -> broker.fetchCount() == 1); // the fetch at 100, held
    consumer.assign(List.of());
    consumer.assign(List.of(TP));
    consumer.seek(TP, 0); // a new state: its generation must not match the old fetch's
    await().atMost(Duration.ofSeconds(5)).until(() -> broker.fetchCount() == 2); // the fetch at 0, held
    broker.releaseFetchReplies(); // the stale answer (100..) arrives first

    List<ConsumerRecord<byte[], byte[]>> records = pollAtLeast(consumer, 200, Duration.ofSeconds(10));
    assertThat(records).isNotEmpty();
    assertThat(records.get(0).offset()).as("records 0..99 must not be skipped").isZero();
    for (int i = 0; i < records.size(); i++) {
      assertThat(records.get(i).offset()).isEqualTo(i);
    }
    assertThat(records).hasSize(200);
    consumer.close();
  }
}
