package io.brook.verticles.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.brook.client.BrookAdmin;
import io.brook.client.BrookClients;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import io.brook.verticles.BrokerHarness;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code BrookAdmin} places partitions by hand, as Kafka's Admin does, and gets the controller's errors for bad lists. */
class AdminManualAssignmentTest {
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
