package io.brook.client;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A plain Vert.x with a {@link FakeBroker} (node 1) for each test, and small helpers. */
abstract class ClientTestBase {
  protected Vertx vertx;
  protected FakeBroker broker;

  @BeforeEach
  void startBroker() {
    vertx = Vertx.vertx();
    broker = FakeBroker.start(vertx, 1);
  }

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  static Map<String, Object> props(Object... keyValues) {
    Map<String, Object> props = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put((String) keyValues[i], keyValues[i + 1]);
    }
    return props;
  }

  static byte[] bytes(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
    return new ProducerRecord<>(topic, bytes(key), bytes(value));
  }

  /** Polls until {@code count} records arrived or {@code timeout} passed; answers what arrived. */
  static List<ConsumerRecord<byte[], byte[]>> pollAtLeast(BrookConsumer consumer, int count, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (all.size() < count && System.nanoTime() < deadline) {
      all.addAll(consumer.poll(Duration.ofMillis(100)).await());
    }
    return all;
  }
}
