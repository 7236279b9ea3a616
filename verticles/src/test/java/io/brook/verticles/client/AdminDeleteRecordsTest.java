package io.brook.verticles.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.brook.client.BrookAdmin;
import io.brook.client.BrookClients;
import io.brook.verticles.BrokerHarness;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code BrookAdmin.deleteRecords} on a real broker: each partition's future has its low watermark or its own error. */
class AdminDeleteRecordsTest {
  @TempDir
  Path dataDir;
  BrokerHarness broker;
  BrookAdmin admin;

  @BeforeEach
  void start() {
    broker = new BrokerHarness(dataDir);
    admin = BrookClients.admin(broker.vertx, Map.of("default.api.timeout.ms", 10_000));
  }

  @AfterEach
  void stop() {
    admin.close();
    broker.close();
  }

  @Test
  void eachPartitionAnswersItsLowWatermarkOrItsError() {
    broker.calls.createTopic("d", 2, Map.of());
    for (int i = 0; i < 8; i++) {
      broker.calls.produce("d", 0, "a" + i);
    }
    broker.calls.produce("d", 1, "b0", "b1");
    Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
    offsets.put(new TopicPartition("d", 0), 5L);
    offsets.put(new TopicPartition("d", 1), 9L);
    offsets.put(new TopicPartition("d", 3), 0L);
    offsets.put(new TopicPartition("nope", 0), -1L);
    Map<TopicPartition, Future<Long>> results = admin.deleteRecords(offsets);

    assertThat(results.get(new TopicPartition("d", 0)).await()).isEqualTo(5L);
    assertThat(catchThrowable(() -> results.get(new TopicPartition("d", 1)).await()))
        .isInstanceOf(OffsetOutOfRangeException.class).hasMessageContaining("high watermark 2");
    assertThat(catchThrowable(() -> results.get(new TopicPartition("d", 3)).await()))
        .isInstanceOf(UnknownTopicOrPartitionException.class);
    assertThat(catchThrowable(() -> results.get(new TopicPartition("nope", 0)).await()))
        .isInstanceOf(UnknownTopicOrPartitionException.class);
    assertThat(broker.calls.readAll("d", 0, 5)).containsExactly("5:a5", "6:a6", "7:a7");

    assertThat(admin.deleteRecords(Map.of(new TopicPartition("d", 1), -1L)).get(new TopicPartition("d", 1)).await())
        .as("-1: the high watermark").isEqualTo(2L);
  }
}
