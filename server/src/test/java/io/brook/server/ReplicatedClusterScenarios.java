package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.ClusterDescription;
import io.brook.protocol.message.DescribeClusterRequest;
import io.brook.protocol.message.MetadataResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicated cluster's guarantees with brokers as separate processes, run once per cluster
 * manager: every acknowledged acks=all record survives leader SIGKILLs, a frozen leader, controller
 * failover and a full restart, at the offset it was acknowledged with, exactly once, with no gap.
 * (Two of three brokers down: {@link MetadataQuorumScenarios}; what replicas do with their logs,
 * where the cluster manager plays no part: {@link ReplicaLogTest}.)
 */
public abstract class ReplicatedClusterScenarios {
  private static final Map<String, String> TOPIC = Map.of("min.insync.replicas", "2");
  @TempDir
  Path root;

  abstract ProcessCluster.Mode mode();

  private ProcessCluster startCluster() throws Exception {
    return ProcessCluster.started(root, mode(), 3);
  }

  @Test
  void everyAcknowledgedWriteSurvivesLeaderKills() throws Exception {
    try (ProcessCluster cluster = startCluster()) {
      cluster.createTopic("k", 1, 3, TOPIC);
      cluster.awaitFullIsr("k", 0, 3);
      Set<Integer> victims = new HashSet<>();
      Map<Long, AckedWriter.Ack> acked;
      try (AckedWriter writer = new AckedWriter(cluster, "k", 0)) {
        acked = writer.acked();
        for (int round = 0; round < 3; round++) {
          int before = writer.ackCount();
          await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= before + 200);
          int leader = cluster.partition("k", 0).leader();
          victims.add(leader);
          cluster.broker(leader).kill();
          cluster.awaitLeaderOtherThan("k", 0, leader);
          int after = writer.ackCount();
          await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= after + 200);
          cluster.start(leader); // it catches up and rejoins the ISR
          cluster.awaitFullIsr("k", 0, 3);
        }
      }
      assertThat(victims).hasSizeGreaterThan(1);
      assertAcknowledgedExactlyOnceWithoutGaps(cluster, "k", acked);
    }
  }

  @Test
  void aFrozenLeaderIsReplacedAndStepsDownWhenItWakesLosingNothing() throws Exception {
    try (ProcessCluster cluster = startCluster()) {
      cluster.createTopic("z", 1, 3, TOPIC);
      cluster.awaitFullIsr("z", 0, 3);
      Map<Long, AckedWriter.Ack> acked;
      try (AckedWriter writer = new AckedWriter(cluster, "z", 0)) {
        acked = writer.acked();
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= 200);
        int frozen = cluster.partition("z", 0).leader();
        cluster.broker(frozen).freeze();
        long frozenAt = System.nanoTime();
        int newLeader = cluster.awaitLeaderOtherThan("z", 0, frozen);
        long takeoverMs = (System.nanoTime() - frozenAt) / 1_000_000;
        int afterTakeover = writer.ackCount();
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= afterTakeover + 100);
        cluster.broker(frozen).thaw();
        cluster.awaitFullIsr("z", 0, 3); // it stepped down and follows the new leader
        assertThat(cluster.partition("z", 0).leader()).isNotEqualTo(frozen);
        assertThat(takeoverMs).as("new leader %d after %d ms", newLeader, takeoverMs).isLessThan(30_000);
      }
      assertAcknowledgedExactlyOnceWithoutGaps(cluster, "z", acked);
    }
  }

  @Test
  void anotherBrokerTakesOverWhenTheControllerDies() throws Exception {
    try (ProcessCluster cluster = startCluster()) {
      cluster.createTopic("before", 3, 3, TOPIC);
      int controller = MetadataQuorumScenarios.controllerOf(cluster);
      cluster.broker(controller).kill();
      int next = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> MetadataQuorumScenarios.controllerOf(cluster), id -> id >= 0 && id != controller);
      // a new controller gives every registered broker a fresh session, as Kafka's does: until the dead one
      // is fenced (missed heartbeats, or the cluster manager saw it leave) it may still be given replicas
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> cluster.<ClusterDescription>request(
          Addresses.DESCRIBE_CLUSTER, new DescribeClusterRequest(true), 5_000).brokers().stream()
          .anyMatch(b -> b.nodeId() == controller && "FENCED".equals(b.state())));
      cluster.createTopic("after", 2, 2, Map.of());
      // asked again while a request reaches the dead broker (its registration outlives it until its
      // ZooKeeper session expires, about 6 s)
      MetadataResponse after = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> cluster.metadata("after"), m -> m.topics().get(0).error() == null);
      assertThat(after.topics().get(0).partitions()).hasSize(2)
          .allSatisfy(p -> assertThat(p.replicas()).doesNotContain(controller));
      for (int p = 0; p < 3; p++) {
        final int part = p;
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> cluster.partition("before", part).leader(), leader -> leader >= 0 && leader != controller);
      }
      assertThat(next).isNotEqualTo(controller);
    }
  }

  @Test
  void topicsConfigsAndDataSurviveAFullRestart() throws Exception {
    try (ProcessCluster cluster = startCluster()) {
      cluster.createTopic("full", 1, 3, Map.of("min.insync.replicas", "2", "retention.ms", "86400000"));
      cluster.awaitFullIsr("full", 0, 3);
      try (AckedWriter writer = new AckedWriter(cluster, "full", 0)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> writer.ackCount() >= 300);
      }
      Map<Long, String> before = AckedWriter.readAll(cluster, "full", 0);
      for (int id = 1; id <= 3; id++) {
        cluster.broker(id).stop();
      }
      for (int id = 1; id <= 3; id++) {
        cluster.launch(id); // none is ready before a majority of the metadata quorum is back
      }
      for (int id = 1; id <= 3; id++) {
        cluster.broker(id).awaitReady();
      }
      cluster.awaitFullIsr("full", 0, 3);
      assertThat(AckedWriter.readAll(cluster, "full", 0)).isEqualTo(before);
      assertThat(cluster.describe("full", 0).highWatermark()).isEqualTo(before.size());
      io.brook.protocol.message.TopicDescription description = cluster.request(Addresses.DESCRIBE_TOPIC,
          new io.brook.protocol.message.DescribeTopicRequest("full"), 10_000);
      assertThat(description.configOverrides()).containsEntry("retention.ms", "86400000");
    }
  }


  /** Every acknowledged value at its offset, each value once, offsets from 0 with no gap. */
  public static void assertAcknowledgedExactlyOnceWithoutGaps(ProcessCluster cluster, String topic,
      Map<Long, AckedWriter.Ack> acked) {
    assertThat(acked).isNotEmpty();
    Map<Long, String> log = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> AckedWriter.readAll(cluster, topic, 0), l -> l.size() >= acked.size());
    long expected = 0;
    for (long offset : log.keySet()) {
      assertThat(offset).as("no gap").isEqualTo(expected++);
    }
    assertThat(new HashSet<>(log.values())).as("every value once").hasSize(log.size());
    acked.forEach((offset, ack) -> assertThat(log.get(offset)).as("acknowledged at %d", offset).isEqualTo(ack.value()));
  }
}
