package io.brook.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Proves positions: seek, seekToBeginning/End/Timestamp, offset look-ups, and reading from a seeked offset. */
class ConsumerSeekTest extends ClientTestBase {
  static final String TOPIC = "seek";
  static final TopicPartition TP = new TopicPartition(TOPIC, 0);
  static final long T0 = 1_700_000_000_000L;

  BrookConsumer consumer;

  @BeforeEach
  void produce100() {
    broker.createTopic(TOPIC, 1);
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 1));
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      sent.add(producer.send(new ProducerRecord<>(TOPIC, 0, T0 + 10L * i, bytes("k" + i), bytes("v" + i))));
    }
    Future.all(sent).await();
    producer.close();
    consumer = BrookClients.consumer(vertx, props("auto.offset.reset", "earliest"));
    consumer.assign(List.of(TP));
  }

  @Test
  void beginningAndEndOffsets() {
    assertThat(consumer.beginningOffsets(List.of(TP)).await()).containsEntry(TP, 0L);
    assertThat(consumer.endOffsets(List.of(TP)).await()).containsEntry(TP, 100L);
  }

  @Test
  void aBrokerThatHasNotAppliedANewTopicYetIsAskedAgainNotBelieved() {
    // proves: one metadata answer without the topic (a lagging broker) is asked again; two in a row
    // mean the partition does not exist
    BrookConsumer fresh = BrookClients.consumer(vertx, props("auto.offset.reset", "earliest"));
    broker.lagNextMetadataAnswers(1);
    assertThat(fresh.endOffsets(List.of(TP)).await()).containsEntry(TP, 100L);
    fresh.close();

    BrookConsumer other = BrookClients.consumer(vertx, props("auto.offset.reset", "earliest"));
    broker.lagNextMetadataAnswers(2);
    assertThat(other.endOffsets(List.of(TP)).toCompletionStage()).failsWithin(Duration.ofSeconds(10))
        .withThrowableThat().havingRootCause().isInstanceOf(UnknownTopicOrPartitionException.class);
    other.close();
  }

  @Test
  void seekReadsFromTheGivenOffset() {
    consumer.seek(TP, 50);
    assertThat(consumer.position(TP)).isEqualTo(50);
    List<ConsumerRecord<byte[], byte[]>> records = pollAtLeast(consumer, 50, Duration.ofSeconds(5));
    assertThat(records).hasSize(50);
    assertThat(records.get(0).offset()).isEqualTo(50);
    assertThat(text(records.get(0).value())).isEqualTo("v50");
    assertThat(consumer.position(TP)).isEqualTo(100);
  }

  @Test
  void seekToBeginningAndEnd() {
    consumer.seekToEnd(List.of(TP)).await();
    assertThat(consumer.position(TP)).isEqualTo(100);
    assertThat(consumer.poll(Duration.ofMillis(200)).await()).isEmpty();
    consumer.seekToBeginning(List.of(TP)).await();
    assertThat(consumer.position(TP)).isZero();
    assertThat(pollAtLeast(consumer, 100, Duration.ofSeconds(5))).hasSize(100);
  }

  @Test
  void seekToTimestampFindsTheFirstRecordAtOrAfterIt() {
    consumer.seekToTimestamp(Map.of(TP, T0 + 305)).await();
    assertThat(consumer.position(TP)).isEqualTo(31);
    List<ConsumerRecord<byte[], byte[]>> records = pollAtLeast(consumer, 1, Duration.ofSeconds(5));
    assertThat(records.get(0).timestamp()).isEqualTo(T0 + 310);
    consumer.seekToTimestamp(Map.of(TP, T0 + 1_000_000)).await();
    assertThat(consumer.position(TP)).isEqualTo(100); // no record that late: the end
  }

  @Test
  void offsetsForTimes() {
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(Map.of(TP, T0 + 200)).await();
    assertThat(found.get(TP)).isEqualTo(new OffsetAndTimestamp(20, T0 + 200));
    assertThat(consumer.offsetsForTimes(Map.of(TP, T0 + 1_000_000)).await()).containsEntry(TP, null);
  }

  @Test
  void newPartitionStartsPerAutoOffsetReset() {
    BrookConsumer latest = BrookClients.consumer(vertx, props("auto.offset.reset", "latest"));
    latest.assign(List.of(TP));
    assertThat(latest.position(TP)).isEqualTo(100);
    assertThat(consumer.position(TP)).isZero();
    latest.close();
  }

  @Test
  void seekOnAnUnassignedPartitionFails() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> consumer.seek(new TopicPartition(TOPIC, 1), 0))
        .isInstanceOf(IllegalStateException.class);
  }
}
