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
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's kafka-clients matrix on one cluster (two brokers, replication factor 2): every compression
 * (none, gzip, snappy, lz4, zstd) with acks 0, 1 and all without idempotence and all with it, each case on
 * its own partition; records with headers, null keys, null values and explicit CreateTime timestamps come
 * back to Kafka's consumer byte for byte at the acknowledged offsets, and the broker keeps the client's
 * batches as they came (their compression, the producer id only when idempotent). A LogAppendTime topic:
 * the producer's metadata and the consumer see the broker's append time.
 */
@Tag("integration")
class KafkaClientMatrixTest {
  private static final int RECORDS = 12;
  private static final long CREATE_TIME = 1_600_000_000_000L;

  @TempDir
  Path root;

  record Case(String compression, String acks, boolean idempotence) {
    @Override
    public String toString() {
      return compression + "/acks=" + acks + "/idempotence=" + idempotence;
    }
  }

  private static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    for (String compression : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
      cases.add(new Case(compression, "0", false));
      cases.add(new Case(compression, "1", false));
      cases.add(new Case(compression, "all", false));
      cases.add(new Case(compression, "all", true)); // Kafka's producer allows idempotence with acks=all only
    }
    return cases;
  }

  /** Record {@code j} of case {@code c}: some null keys, some null values, compressible values, two headers. */
  private static ProducerRecord<byte[], byte[]> record(int partition, Case c, int j) {
    byte[] key = j % 3 == 0 ? null : ("key-" + partition + "-" + j).getBytes(StandardCharsets.UTF_8);
    byte[] value = null;
    if (j % 4 != 1) {
      value = ("value " + c + " " + j + " ").repeat(20).getBytes(StandardCharsets.UTF_8);
      value[0] = (byte) (0x80 + j); // not valid UTF-8: the bytes must come back, not a decoding of them
    }
    List<Header> headers = List.of(new RecordHeader("case", c.toString().getBytes(StandardCharsets.UTF_8)),
        new RecordHeader("j", new byte[] {(byte) j, 0, (byte) 0xff}));
    return new ProducerRecord<>("matrix", partition, CREATE_TIME + partition * 1000L + j, key, value, headers);
  }

  private static List<String> headers(Iterable<Header> headers) {
    List<String> list = new ArrayList<>();
    headers.forEach(h -> list.add(h.key() + "=" + (h.value() == null ? null : Base64.getEncoder().encodeToString(h.value()))));
    return list;
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap, Case c) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, c.acks(),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, c.idempotence(),
        ProducerConfig.COMPRESSION_TYPE_CONFIG, c.compression(),
        ProducerConfig.LINGER_MS_CONFIG, 20, // several records a batch, so compression has something to do
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, int partitions, int count) {
    List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      List<TopicPartition> all = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        all.add(new TopicPartition(topic, p));
      }
      consumer.assign(all);
      consumer.seekToBeginning(all);
      await().atMost(Duration.ofSeconds(90)).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(read::add);
        return read.size() >= count;
      });
    }
    assertThat(read).hasSize(count);
    return read;
  }

  @Test
  void everyCompressionAcksAndIdempotenceCaseComesBackByteForByte() throws Exception {
    List<Case> cases = cases();
    try (ProcessCluster cluster = new ProcessCluster(root, ProcessCluster.Mode.HAZELCAST, Map.of("kafka.port", 0))) {
      cluster.startAll(1, 2);
      cluster.createTopic("matrix", cases.size(), 2, Map.of());
      cluster.createTopic("append-time", 1, 2, Map.of("message.timestamp.type", "LogAppendTime"));
      String bootstrap = "127.0.0.1:" + cluster.kafkaPort(1) + ",127.0.0.1:" + cluster.kafkaPort(2);

      Map<Integer, List<RecordMetadata>> acked = new HashMap<>();
      for (int p = 0; p < cases.size(); p++) {
        Case c = cases.get(p);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, c)) {
          for (int j = 0; j < RECORDS; j++) {
            sent.add(producer.send(record(p, c, j)));
          }
          producer.flush();
        }
        List<RecordMetadata> metadata = new ArrayList<>();
        for (Future<RecordMetadata> one : sent) {
          metadata.add(one.get(60, TimeUnit.SECONDS));
        }
        acked.put(p, metadata);
      }

      List<ConsumerRecord<byte[], byte[]>> read = readAll(bootstrap, "matrix", cases.size(), cases.size() * RECORDS);
      for (int p = 0; p < cases.size(); p++) {
        Case c = cases.get(p);
        int partition = p;
        List<ConsumerRecord<byte[], byte[]>> got = read.stream().filter(r -> r.partition() == partition).toList();
        assertThat(got).as(c.toString()).hasSize(RECORDS);
        for (int j = 0; j < RECORDS; j++) {
          ProducerRecord<byte[], byte[]> want = record(p, c, j);
          ConsumerRecord<byte[], byte[]> record = got.get(j);
          String what = c + " record " + j;
          assertThat(record.offset()).as(what).isEqualTo(j);
          if (!c.acks().equals("0")) { // acks=0: Kafka's producer knows no offset (-1)
            assertThat(acked.get(p).get(j).offset()).as(what).isEqualTo(j);
          }
          assertThat(record.key()).as(what).isEqualTo(want.key());
          assertThat(record.value()).as(what).isEqualTo(want.value());
          assertThat(headers(record.headers())).as(what).isEqualTo(headers(want.headers()));
          assertThat(record.timestampType()).as(what).isEqualTo(TimestampType.CREATE_TIME);
          assertThat(record.timestamp()).as(what).isEqualTo(want.timestamp());
        }
        // the broker keeps the client's batches: its compression, and a producer id only when idempotent
        int leader = cluster.partition("matrix", p).leader();
        FetchResponse fetched = cluster.request(Addresses.fetch(leader), FetchRequest.consumer("matrix", p, 0, 1 << 20,
            1, 0), 10_000);
        assertThat(fetched.memoryRecords().batches()).as(c.toString()).isNotEmpty();
        for (RecordBatch batch : fetched.memoryRecords().batches()) {
          assertThat(batch.compressionType()).as(c.toString()).isEqualTo(CompressionType.forName(c.compression()));
          assertThat(batch.hasProducerId()).as(c.toString()).isEqualTo(c.idempotence());
        }
      }

      // LogAppendTime: the broker's time replaces the producer's, in the acknowledgement and for the consumer
      long before = System.currentTimeMillis();
      List<RecordMetadata> appended = new ArrayList<>();
      try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, new Case("lz4", "all", true))) {
        for (int j = 0; j < 3; j++) {
          appended.add(producer.send(new ProducerRecord<>("append-time", 0, CREATE_TIME, ("k" + j).getBytes(
              StandardCharsets.UTF_8), ("v" + j).getBytes(StandardCharsets.UTF_8))).get(60, TimeUnit.SECONDS));
        }
      }
      long after = System.currentTimeMillis();
      List<ConsumerRecord<byte[], byte[]>> stamped = readAll(bootstrap, "append-time", 1, 3);
      for (int j = 0; j < 3; j++) {
        assertThat(appended.get(j).timestamp()).isBetween(before, after);
        assertThat(stamped.get(j).timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(stamped.get(j).timestamp()).isEqualTo(appended.get(j).timestamp());
        assertThat(stamped.get(j).value()).isEqualTo(("v" + j).getBytes(StandardCharsets.UTF_8));
      }
    }
  }
}
