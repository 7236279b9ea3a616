package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own producer and consumer (kafka-clients, no Brook class) against three brokers' Kafka
 * listeners: what the producer acknowledges, the consumer reads back, and Brook's event bus API reads
 * the same bytes; the producer with idempotence off, then with its defaults (idempotent).
 */
@Tag("integration")
class KafkaProduceConsumeTest {
  @TempDir
  Path root;

  @Test
  void whatKafkasProducerWritesKafkasConsumerAndBrooksApiReadBack() throws Exception {
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST, Map.of("kafka.port", 0))) {
      cluster.startAll(1, 2, 3);
      cluster.createTopic("kafka-orders", 3, 3, Map.of());
      String bootstrap = "127.0.0.1:" + cluster.kafkaPort(3);
      List<RecordMetadata> acked = new ArrayList<>();
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          ProducerConfig.ACKS_CONFIG, "all",
          ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
          ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
        List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          ProducerRecord<String, String> record = new ProducerRecord<>("kafka-orders", i % 3, "key-" + i, "value-" + i);
          record.headers().add(new RecordHeader("h", ("header-" + i).getBytes(StandardCharsets.UTF_8)));
          sent.add(producer.send(record));
        }
        for (java.util.concurrent.Future<RecordMetadata> one : sent) {
          acked.add(one.get(60, TimeUnit.SECONDS));
        }
        producer.send(new ProducerRecord<>("kafka-orders", 0, null, null)).get(60, TimeUnit.SECONDS); // null key and value
      }
      assertThat(acked).extracting(RecordMetadata::offset).allMatch(offset -> offset >= 0);

      List<ConsumerRecord<String, String>> read = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
        List<TopicPartition> partitions = List.of(new TopicPartition("kafka-orders", 0),
            new TopicPartition("kafka-orders", 1), new TopicPartition("kafka-orders", 2));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          consumer.poll(Duration.ofMillis(200)).forEach(read::add);
          return read.size() >= 301;
        });
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(301);
      }
      assertThat(read).hasSize(301);
      for (int i = 0; i < 300; i++) {
        RecordMetadata metadata = acked.get(i);
        ConsumerRecord<String, String> record = read.stream().filter(r -> r.partition() == metadata.partition()
            && r.offset() == metadata.offset()).findFirst().orElseThrow();
        assertThat(record.key()).isEqualTo("key-" + i);
        assertThat(record.value()).isEqualTo("value-" + i);
        assertThat(new String(record.headers().lastHeader("h").value(), StandardCharsets.UTF_8)).isEqualTo("header-" + i);
      }
      assertThat(read).anyMatch(r -> r.key() == null && r.value() == null);

      // Brook's own API reads what Kafka's producer wrote, byte for byte
      RecordMetadata first = acked.get(0);
      int leader = cluster.partition("kafka-orders", first.partition()).leader();
      FetchResponse fetched = cluster.request(Addresses.fetch(leader), FetchRequest.consumer("kafka-orders",
          first.partition(), first.offset(), 1 << 20, 1, 0), 10_000);
      Record record = null;
      for (RecordBatch batch : fetched.memoryRecords().batches()) {
        for (Record r : batch) {
          if (r.offset() == first.offset()) {
            record = r;
          }
        }
      }
      assertThat(record).isNotNull();
      assertThat(StandardCharsets.UTF_8.decode(record.key()).toString()).isEqualTo("key-0");
      assertThat(StandardCharsets.UTF_8.decode(record.value()).toString()).isEqualTo("value-0");
      assertThat(record.timestamp()).isEqualTo(first.timestamp());

      // a consumer group: Brook's coordinator shares the partitions out and keeps the committed offsets
      List<ConsumerRecord<String, String>> grouped = new ArrayList<>();
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          ConsumerConfig.GROUP_ID_CONFIG, "kafka-group",
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
        consumer.subscribe(List.of("kafka-orders"));
        await().atMost(Duration.ofSeconds(90)).until(() -> {
          consumer.poll(Duration.ofMillis(200)).forEach(grouped::add);
          return grouped.size() >= 301;
        });
        assertThat(consumer.assignment()).hasSize(3);
        consumer.commitSync(Duration.ofSeconds(30));
      }
      assertThat(grouped).hasSize(301);
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("kafka-group")
            .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
        assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(301);
        assertThat(admin.listConsumerGroups().all().get(60, TimeUnit.SECONDS))
            .anyMatch(listing -> listing.groupId().equals("kafka-group"));
        assertThat(admin.describeConsumerGroups(List.of("kafka-group")).all().get(60, TimeUnit.SECONDS)
            .get("kafka-group").members()).isEmpty(); // the consumer left when it closed
        admin.deleteConsumerGroups(List.of("kafka-group")).all().get(60, TimeUnit.SECONDS);
        assertThat(admin.listConsumerGroups().all().get(60, TimeUnit.SECONDS))
            .noneMatch(listing -> listing.groupId().equals("kafka-group"));
        // the offsets live in __consumer_offsets, which a Kafka client can neither see nor read
        assertThat(admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
            .names().get(60, TimeUnit.SECONDS)).doesNotContain("__consumer_offsets");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> admin.describeTopics(List.of("__consumer_offsets"))
            .allTopicNames().get(60, TimeUnit.SECONDS))
            .hasCauseInstanceOf(org.apache.kafka.common.errors.InvalidTopicException.class);
      }

      // Kafka's producer with its defaults (idempotence on, acks=all) through another broker: it gets a producer
      // id, its batches carry it, and what it acknowledged is read back once, in order
      List<RecordMetadata> idempotent = new ArrayList<>();
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + cluster.kafkaPort(1),
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
          ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
        List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          sent.add(producer.send(new ProducerRecord<>("kafka-orders", 1, "idem-" + i, "idem-value-" + i)));
        }
        for (java.util.concurrent.Future<RecordMetadata> one : sent) {
          idempotent.add(one.get(60, TimeUnit.SECONDS));
        }
      }
      int leaderOf1 = cluster.partition("kafka-orders", 1).leader();
      FetchResponse written = cluster.request(Addresses.fetch(leaderOf1), FetchRequest.consumer("kafka-orders", 1,
          idempotent.get(0).offset(), 1 << 20, 1, 0), 10_000);
      List<String> values = new ArrayList<>();
      for (RecordBatch batch : written.memoryRecords().batches()) {
        assertThat(batch.hasProducerId()).as("an idempotent batch").isTrue();
        for (Record r : batch) {
          values.add(StandardCharsets.UTF_8.decode(r.value()).toString());
        }
      }
      assertThat(values).hasSize(200).first().isEqualTo("idem-value-0");
      assertThat(values).doesNotHaveDuplicates().last().isEqualTo("idem-value-199");
      assertThat(idempotent).extracting(RecordMetadata::offset)
          .containsExactlyElementsOf(java.util.stream.LongStream.range(idempotent.get(0).offset(),
              idempotent.get(0).offset() + 200).boxed().toList());

      // the other way: what Brook's own API writes, Kafka's consumer reads as it was written
      org.apache.kafka.common.header.Header[] headers = {new RecordHeader("trace", "t-1".getBytes(StandardCharsets.UTF_8))};
      long timestamp = 1_700_000_000_123L;
      io.brook.protocol.message.ProduceResponse brookWrote = cluster.request(
          Addresses.produce(cluster.partition("kafka-orders", 2).leader()),
          new io.brook.protocol.message.ProduceRequest("kafka-orders", 2, io.brook.protocol.message.ProduceRequest.ACKS_ALL,
              10_000, org.apache.kafka.common.record.internal.MemoryRecords.withRecords(
                  org.apache.kafka.common.compress.Compression.NONE, new org.apache.kafka.common.record.internal.SimpleRecord(
                      timestamp, "brook-key".getBytes(StandardCharsets.UTF_8), "brook-value".getBytes(StandardCharsets.UTF_8),
                      headers)).buffer()), 10_000);
      try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + cluster.kafkaPort(2),
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
        TopicPartition two = new TopicPartition("kafka-orders", 2);
        consumer.assign(List.of(two));
        consumer.seek(two, brookWrote.baseOffset());
        List<ConsumerRecord<String, String>> fromBrook = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          consumer.poll(Duration.ofMillis(200)).forEach(fromBrook::add);
          return !fromBrook.isEmpty();
        });
        ConsumerRecord<String, String> fromBrookFirst = fromBrook.get(0);
        assertThat(fromBrookFirst.offset()).isEqualTo(brookWrote.baseOffset());
        assertThat(fromBrookFirst.key()).isEqualTo("brook-key");
        assertThat(fromBrookFirst.value()).isEqualTo("brook-value");
        assertThat(fromBrookFirst.timestamp()).isEqualTo(timestamp);
        assertThat(new String(fromBrookFirst.headers().lastHeader("trace").value(), StandardCharsets.UTF_8)).isEqualTo("t-1");
      }
    }
  }
}
