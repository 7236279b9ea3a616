package io.brook.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Proves poll: max.poll.records, several partitions at once, long-poll wake-up, out-of-range resets. */
class ConsumerPollTest extends ClientTestBase {

  void produce(String topic, int partition, int count) {
    BrookProducer producer = BrookClients.producer(vertx, props("linger.ms", 1, "batch.size", 2048));
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(producer.send(new ProducerRecord<>(topic, partition, null, bytes("v" + i))));
    }
    Future.all(sent).await();
    producer.close();
  }

  @Test
  void maxPollRecordsBoundsEachPollAndKeepsTheRest() {
    broker.createTopic("bounded", 1);
    produce("bounded", 0, 100);
    BrookConsumer consumer = BrookClients.consumer(vertx, props("auto.offset.reset", "earliest", "max.poll.records", 7));
    consumer.assign(List.of(new TopicPartition("bounded", 0)));
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (all.size() < 100 && System.nanoTime() < deadline) {
      List<ConsumerRecord<byte[], byte[]>> batch = consumer.poll(Duration.ofMillis(200)).await();
      assertThat(batch.size()).isLessThanOrEqualTo(7);
      all.addAll(batch);
    }
    assertThat(all).hasSize(100);
    for (int i = 0; i < 100; i++) {
      assertThat(all.get(i).offset()).isEqualTo(i);
    }
    consumer.close();
  }

  @Test
  void pollsEveryAssignedPartition() {
    broker.createTopic("multi", 3);
    for (int p = 0; p < 3; p++) {
      produce("multi", p, 20 + p);
    }
    BrookConsumer consumer = BrookClients.consumer(vertx, props("auto.offset.reset", "earliest"));
    List<TopicPartition> partitions = List.of(new TopicPartition("multi", 0), new TopicPartition("multi", 1),
        new TopicPartition("multi", 2));
    consumer.assign(partitions);
    List<ConsumerRecord<byte[], byte[]>> all = pollAtLeast(consumer, 63, Duration.ofSeconds(5));
    Map<Integer, Integer> perPartition = new HashMap<>();
    Map<Integer, Long> lastOffset = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : all) {
      perPartition.merge(record.partition(), 1, Integer::sum);
      long previous = lastOffset.getOrDefault(record.partition(), -1L);
      assertThat(record.offset()).isEqualTo(previous + 1); // in order within a partition
      lastOffset.put(record.partition(), record.offset());
    }
    assertThat(perPartition).containsEntry(0, 20).containsEntry(1, 21).containsEntry(2, 22);
    consumer.close();
  }

  @Test
  void aWaitingPollWakesUpWhenRecordsArrive() {
    broker.createTopic("live", 1);
    BrookConsumer consumer = BrookClients.consumer(vertx, props("fetch.max.wait.ms", 5000));
    TopicPartition tp = new TopicPartition("live", 0);
    consumer.assign(List.of(tp));
    assertThat(consumer.position(tp)).isZero();
    Future<List<ConsumerRecord<byte[], byte[]>>> waiting = consumer.poll(Duration.ofSeconds(10));
    long start = System.nanoTime();
    produce("live", 0, 1);
    assertThat(waiting.await()).hasSize(1);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
    consumer.close();
  }

  @Test
  void leaderErrorsOnFetchAreRetried() {
    broker.createTopic("flaky", 1);
    produce("flaky", 0, 10);
    broker.failNextFetches(Errors.NOT_LEADER_OR_FOLLOWER, Errors.LEADER_NOT_AVAILABLE, Errors.REQUEST_TIMED_OUT);
    BrookConsumer consumer = BrookClients.consumer(vertx, props("auto.offset.reset", "earliest", "retry.backoff.ms", 20));
    consumer.assign(List.of(new TopicPartition("flaky", 0)));
    List<ConsumerRecord<byte[], byte[]>> records = pollAtLeast(consumer, 10, Duration.ofSeconds(5));
    assertThat(records).hasSize(10);
    assertThat(broker.fetchCount()).isGreaterThanOrEqualTo(4);
    consumer.close();
  }

  @Test
  void outOfRangeResetsToEarliest() {
    broker.createTopic("range", 1);
    produce("range", 0, 100);
    broker.partition("range", 0).deleteRecordsBefore(40);
    BrookConsumer consumer = BrookClients.consumer(vertx, props("auto.offset.reset", "earliest"));
    TopicPartition tp = new TopicPartition("range", 0);
    consumer.assign(List.of(tp));
    consumer.seek(tp, 10); // below the log start now
    List<ConsumerRecord<byte[], byte[]>> records = pollAtLeast(consumer, 60, Duration.ofSeconds(5));
    assertThat(records).hasSize(60);
    assertThat(records.get(0).offset()).isEqualTo(40);
    consumer.close();
  }

  @Test
  void outOfRangeResetsToLatest() {
    broker.createTopic("range-latest", 1);
    produce("range-latest", 0, 100);
    BrookConsumer consumer = BrookClients.consumer(vertx, props("auto.offset.reset", "latest"));
    TopicPartition tp = new TopicPartition("range-latest", 0);
    consumer.assign(List.of(tp));
    consumer.seek(tp, 500); // past the end
    assertThat(consumer.poll(Duration.ofMillis(300)).await()).isEmpty();
    org.awaitility.Awaitility.await().until(() -> consumer.position(tp) == 100);
    produce("range-latest", 0, 1);
    List<ConsumerRecord<byte[], byte[]>> records = pollAtLeast(consumer, 1, Duration.ofSeconds(5));
    assertThat(records).singleElement().satisfies(r -> assertThat(r.offset()).isEqualTo(100));
    consumer.close();
  }

  @Test
  void outOfRangeWithResetNoneFailsThePoll() {
    broker.createTopic("range-none", 1);
    produce("range-none", 0, 10);
    BrookConsumer consumer = BrookClients.consumer(vertx, props("auto.offset.reset", "none"));
    TopicPartition tp = new TopicPartition("range-none", 0);
    consumer.assign(List.of(tp));
    Throwable noOffset = catchThrowable(() -> consumer.poll(Duration.ofSeconds(2)).await());
    assertThat(ProducerRetryTest.unwrap(noOffset)).isInstanceOf(NoOffsetForPartitionException.class);
    consumer.seek(tp, 50);
    Throwable outOfRange = catchThrowable(() -> pollAtLeast(consumer, 1, Duration.ofSeconds(2)));
    assertThat(ProducerRetryTest.unwrap(outOfRange)).isInstanceOf(OffsetOutOfRangeException.class);
    assertThat(((OffsetOutOfRangeException) ProducerRetryTest.unwrap(outOfRange)).offsetOutOfRangePartitions())
        .containsEntry(tp, 50L);
    consumer.close();
  }
}
