package io.brook.verticles.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.brook.client.BrookAdmin;
import io.brook.client.BrookClients;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import io.brook.verticles.BrokerHarness;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code BrookAdmin} on a real broker: deleteRecords answers each partition's low watermark or its own error;
 * topics and new partitions placed by hand go where they are assigned, and bad lists get the controller's errors.
 */
class AdminCallsTest {
  private static final int ME = BrokerHarness.NODE_ID;

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

  @Test
  void topicsAndNewPartitionsGoWhereTheyAreAssigned() {
    TopicMetadata created = admin.createTopic("placed", List.of(List.of(ME), List.of(ME)),
        Map.of("retention.ms", "60000")).await();
    assertThat(created.partitions()).extracting(PartitionMetadata::replicas).containsExactly(List.of(ME), List.of(ME));
    assertThat(created.partitions()).extracting(PartitionMetadata::leader).containsOnly(ME);

    TopicMetadata grown = admin.createPartitions("placed", 3, List.of(List.of(ME))).await();
    assertThat(grown.partitions()).hasSize(3);
    assertThat(grown.partitions().get(2).replicas()).containsExactly(ME);
    assertThat(admin.createPartitions("placed", 4, null).await().partitions()).as("the controller's placement")
        .hasSize(4);

    assertThat(catchThrowable(() -> admin.createTopic("nowhere", List.of(List.of(ME + 8)), Map.of()).await()))
        .isInstanceOf(InvalidReplicaAssignmentException.class);
    assertThat(catchThrowable(() -> admin.createPartitions("placed", 6, List.of(List.of(ME))).await()))
        .as("one list per new partition").isInstanceOf(InvalidReplicaAssignmentException.class);
    assertThat(catchThrowable(() -> admin.createTopic("empty", List.of(), Map.of()).await()))
        .isInstanceOf(InvalidRequestException.class);
  }
}
