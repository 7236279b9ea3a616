package io.brook.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Proves every codec round-trips: compressed batches on the broker, identical records at the consumer. */
class CompressionRoundTripTest extends ClientTestBase {

  @ParameterizedTest
  @ValueSource(strings = {"none", "gzip", "lz4", "zstd", "snappy"})
  void recordsSurviveTheCodec(String codec) {
    String topic = "compressed-" + codec;
    broker.createTopic(topic, 1);
    BrookProducer producer = BrookClients.producer(vertx, props("compression.type", codec, "linger.ms", 50));
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    long timestamp = 1_700_000_000_000L;
    for (int i = 0; i < 300; i++) {
      RecordHeaders headers = new RecordHeaders();
      headers.add("trace", bytes("t-" + i));
      byte[] key = i % 3 == 0 ? null : bytes("key-" + i);
      byte[] value = i % 10 == 9 ? null : bytes("value-" + i + "-" + "x".repeat(i % 50));
      sent.add(producer.send(new ProducerRecord<>(topic, 0, timestamp + i, key, value, headers)));
    }
    Future.all(sent).await();
    for (int i = 0; i < 300; i++) {
      assertThat(sent.get(i).result().offset()).as("sent offset of %d", i).isEqualTo(i);
    }
    for (RecordBatch batch : broker.partition(topic, 0).batches()) {
      assertThat(batch.compressionType()).isEqualTo(CompressionType.forName(codec));
    }

    BrookConsumer consumer = BrookClients.consumer(vertx, props("auto.offset.reset", "earliest"));
    consumer.assign(List.of(new TopicPartition(topic, 0)));
    List<ConsumerRecord<byte[], byte[]>> received = pollAtLeast(consumer, 300, Duration.ofSeconds(10));
    assertThat(received).hasSize(300);
    for (int i = 0; i < 300; i++) {
      ConsumerRecord<byte[], byte[]> record = received.get(i);
      assertThat(record.offset()).isEqualTo(i);
      assertThat(record.timestamp()).isEqualTo(timestamp + i);
      assertThat(record.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
      assertThat(text(record.key())).isEqualTo(i % 3 == 0 ? null : "key-" + i);
      assertThat(text(record.value())).isEqualTo(i % 10 == 9 ? null : "value-" + i + "-" + "x".repeat(i % 50));
      assertThat(text(record.headers().lastHeader("trace").value())).isEqualTo("t-" + i);
      assertThat(record.serializedKeySize()).isEqualTo(record.key() == null ? -1 : record.key().length);
    }
    assertThat(consumer.position(new TopicPartition(topic, 0))).isEqualTo(300);
    consumer.close();
    producer.close();
  }

}
