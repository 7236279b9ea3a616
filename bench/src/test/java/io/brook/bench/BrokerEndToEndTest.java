package io.brook.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.client.BrookAdmin;
import io.brook.client.BrookClients;
import io.brook.client.BrookConsumer;
import io.brook.client.BrookProducer;
import io.brook.verticles.BrokerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves the client works against the real broker (in this JVM, real files): produce, consume, keyed partitions, seeks. */
@Tag("integration")
class BrokerEndToEndTest {
  @TempDir
  Path dataDir;

  Vertx vertx;
  BrookAdmin admin;

  @BeforeEach
  void startBroker() {
    vertx = Vertx.vertx();
    JsonObject config = new JsonObject().put("node.id", 1).put("data.dir", dataDir.toString());
    vertx.deployVerticle(new BrokerVerticle(), new DeploymentOptions().setConfig(config)).await();
    admin = BrookClients.admin(vertx, Map.of());
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void keyedRecordsLandOnKafkasPartitionAndComeBackIntact() {
    admin.createTopic("orders", 4, (short) 1, Map.of()).await();
    BrookProducer producer = BrookClients.producer(vertx, Map.of("acks", "all", "compression.type", "lz4"));
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      RecordHeaders headers = new RecordHeaders();
      headers.add("n", bytes(Integer.toString(i)));
      sent.add(producer.send(new ProducerRecord<>("orders", null, 1_700_000_000_000L + i, bytes("customer-" + (i % 17)),
          bytes("order-" + i), headers)));
    }
    Future.all(sent).await();
    for (int i = 0; i < 200; i++) {
      int expected = BuiltInPartitioner.partitionForKey(bytes("customer-" + (i % 17)), 4);
      assertThat(sent.get(i).result().partition()).isEqualTo(expected);
    }

    BrookConsumer consumer = BrookClients.consumer(vertx, Map.of("auto.offset.reset", "earliest"));
    List<TopicPartition> partitions = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      partitions.add(new TopicPartition("orders", p));
    }
    consumer.assign(partitions);
    List<ConsumerRecord<byte[], byte[]>> received = pollAtLeast(consumer, 200);
    assertThat(received).hasSize(200);
    for (ConsumerRecord<byte[], byte[]> record : received) {
      int i = Integer.parseInt(new String(record.headers().lastHeader("n").value(), StandardCharsets.UTF_8));
      assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("order-" + i);
      assertThat(record.partition()).isEqualTo(sent.get(i).result().partition());
      assertThat(record.offset()).isEqualTo(sent.get(i).result().offset());
      assertThat(record.timestamp()).isEqualTo(1_700_000_000_000L + i);
    }
    consumer.close();
    producer.close();
  }

  @Test
  void seeksAndOffsetLookupsAgainstTheRealLog() {
    admin.createTopic("events", 1, (short) 1, Map.of()).await();
    TopicPartition tp = new TopicPartition("events", 0);
    BrookProducer producer = BrookClients.producer(vertx, Map.of("acks", "1", "batch.size", 1024));
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      sent.add(producer.send(new ProducerRecord<>("events", 0, 1_000_000L + i, null, bytes("e" + i))));
    }
    Future.all(sent).await();
    BrookConsumer consumer = BrookClients.consumer(vertx, Map.of("max.poll.records", 100));
    consumer.assign(List.of(tp));
    assertThat(consumer.endOffsets(List.of(tp)).await()).containsEntry(tp, 1000L);
    assertThat(consumer.position(tp)).isEqualTo(1000); // latest
    consumer.seekToTimestamp(Map.of(tp, 1_000_500L)).await();
    List<ConsumerRecord<byte[], byte[]>> fromTime = pollAtLeast(consumer, 500);
    assertThat(fromTime).hasSize(500);
    assertThat(fromTime.get(0).offset()).isEqualTo(500);
    consumer.seek(tp, 123);
    assertThat(pollAtLeast(consumer, 1).get(0).offset()).isEqualTo(123);
    consumer.close();
    producer.close();
  }

  static List<ConsumerRecord<byte[], byte[]>> pollAtLeast(BrookConsumer consumer, int count) {
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (all.size() < count && System.nanoTime() < deadline) {
      all.addAll(consumer.poll(Duration.ofMillis(200)).await());
    }
    return all;
  }
}
