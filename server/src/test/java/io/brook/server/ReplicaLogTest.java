package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.ElectLeadersRequest;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.protocol.message.ReassignPartitionRequest;
import io.brook.verticles.ProtocolCalls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What replicas do with their logs, with brokers as processes (Hazelcast; the cluster manager plays no
 * part in it): a former leader's divergent acks=1 tail is truncated away and its log then matches the
 * new leader's byte for byte; a byte flipped in an older segment costs only its batch, which the
 * leader repairs from a replica.
 */
@Tag("integration")
class ReplicaLogTest {
  private static final Map<String, String> TOPIC = Map.of("min.insync.replicas", "2");
  @TempDir
  Path root;

  private ProcessCluster startCluster() throws Exception {
    return ProcessCluster.started(root, ProcessCluster.Mode.HAZELCAST, 3);
  }

  @Test
  void aFormerLeaderTruncatesWhatOnlyItHadAndMatchesTheNewLeaderByteForByte() throws Exception {
    try (ProcessCluster cluster = startCluster()) {
      cluster.createTopic("d", 1, 3, TOPIC);
      cluster.awaitFullIsr("d", 0, 3);
      PartitionMetadata before = cluster.partition("d", 0);
      int oldLeader = before.leader();
      for (int i = 0; i < 10; i++) {
        assertThat(produceOnce(cluster, oldLeader, "d", "committed-" + i, ProduceRequest.ACKS_ALL)).isEqualTo(i);
      }
      // Followers frozen well past their long poll (replica.fetch.wait.max.ms, 500 ms; a parked fetch the leader
      // answered late under load would carry the next records to them) fetch nothing more, and well inside every
      // session timeout so they stay in the ISR: the leader alone takes acks=1 writes.
      List<Integer> followers = before.replicas().stream().filter(id -> id != oldLeader).toList();
      followers.forEach(id -> cluster.broker(id).freeze());
      ProcessCluster.pause(Duration.ofSeconds(3));
      for (int i = 0; i < 5; i++) {
        assertThat(produceOnce(cluster, oldLeader, "d", "lost-" + i, ProduceRequest.ACKS_LEADER)).isEqualTo(10 + i);
      }
      cluster.broker(oldLeader).kill();
      followers.forEach(id -> cluster.broker(id).thaw());

      int newLeader = cluster.awaitLeaderOtherThan("d", 0, oldLeader);
      for (int i = 0; i < 3; i++) {
        assertThat(produceOnce(cluster, newLeader, "d", "new-" + i, ProduceRequest.ACKS_ALL)).isEqualTo(10 + i);
      }
      int logStart = cluster.broker(oldLeader).output().length();
      cluster.start(oldLeader); // it comes back as a follower and truncates by leader epoch
      cluster.awaitFullIsr("d", 0, 3);
      assertThat(cluster.broker(oldLeader).output().substring(logStart))
          .as("a restarted broker hosts nothing from its stale metadata: it never leads d-0 at its old epoch")
          .contains("caught up with the metadata log").doesNotContain("Broker " + oldLeader + " leads d-0");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        byte[] leaderLog = cluster.logBytes(newLeader, "d", 0);
        for (int id : before.replicas()) {
          assertThat(cluster.logBytes(id, "d", 0)).as("log of broker %d", id).isEqualTo(leaderLog);
        }
      });
      Map<Long, String> log = AckedWriter.readAll(cluster, "d", 0);
      assertThat(log).hasSize(13).doesNotContainValue("lost-0").containsEntry(10L, "new-0").containsEntry(12L, "new-2");
    }
  }

  @Test
  void aBrokerBackOnAnotherDataDirLeadsNothingItHasNotGotUntilItIsBackOnItsOwn() throws Exception {
    try (ProcessCluster cluster = startCluster()) {
      cluster.createTopic("solo", 1, 1, Map.of());
      cluster.createTopic("trio", 1, 3, Map.of());
      cluster.awaitFullIsr("trio", 0, 3);
      int victim = cluster.partition("solo", 0).leader();
      for (int i = 0; i < 5; i++) {
        assertThat(produceOnce(cluster, victim, "solo", "solo-" + i, ProduceRequest.ACKS_ALL)).isEqualTo(i);
        int trioLeader = cluster.partition("trio", 0).leader();
        assertThat(produceOnce(cluster, trioLeader, "trio", "trio-" + i, ProduceRequest.ACKS_ALL)).isEqualTo(i);
      }
      Map<Long, String> solo = AckedWriter.readAll(cluster, "solo", 0);
      cluster.broker(victim).stop();
      // the operator starts it on the wrong directory (an empty one: a typo, a replaced disk)
      cluster.setDataDir(victim, root.resolve("wrong-" + victim));
      int logStart = cluster.broker(victim).output().length();
      cluster.start(victim);
      String startLog = cluster.broker(victim).output().substring(logStart);
      assertThat(startLog).as("one line says what is missing and what to do")
          .contains("does not hold the data of 2 of its replicas", "1 will be fetched again", "trio-0",
              "stays offline (solo-0)", "--data-dir " + root.resolve("node-" + victim).toAbsolutePath().normalize(),
              "elect-leaders --type unclean --partition solo:0");
      // trio-0 is fetched again into the new directory and the broker rejoins its ISR; solo-0 stays leaderless
      cluster.awaitFullIsr("trio", 0, 3);
      assertThat(cluster.partition("solo", 0).leader()).as("an empty replica never leads solo-0").isEqualTo(-1);
      assertThat(cluster.describe("solo", 0).offlineReplicas()).containsExactly(victim);
      assertThat(cluster.partition("solo", 0).offlineReplicas()).containsExactly(victim);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
          cluster.logBytes(cluster.partition("trio", 0).leader(), "trio", 0)).isEqualTo(
          java.nio.file.Files.readAllBytes(CorruptBytes.segments(root.resolve("wrong-" + victim).resolve("trio-0")).get(0))));

      cluster.broker(victim).stop();
      cluster.setDataDir(victim, root.resolve("node-" + victim));
      cluster.start(victim);
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> cluster.partition("solo", 0).leader() == victim);
      assertThat(AckedWriter.readAll(cluster, "solo", 0)).isEqualTo(solo).hasSize(5);
    }
  }

  @Test
  void aTopicDeletedAndRecreatedWhileABrokerWasDownNeverGetsItsOldLog() throws Exception {
    try (ProcessCluster cluster = startCluster()) {
      cluster.createTopic("again", 1, 3, Map.of());
      cluster.awaitFullIsr("again", 0, 3);
      for (int i = 0; i < 3; i++) {
        assertThat(produceOnce(cluster, cluster.partition("again", 0).leader(), "again", "old-" + i, ProduceRequest.ACKS_ALL))
            .isEqualTo(i);
      }
      int down = cluster.partition("again", 0).replicas().get(2);
      cluster.broker(down).stop();
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> !cluster.partition("again", 0).isr().contains(down));
      cluster.request(Addresses.DELETE_TOPIC, new io.brook.protocol.message.DeleteTopicRequest("again"), 30_000);
      cluster.createTopic("again", 1, 2, Map.of()); // on the two brokers that are up
      int leader = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> cluster.partition("again", 0).leader(), l -> l >= 0);
      assertThat(produceOnce(cluster, leader, "again", "new-0", ProduceRequest.ACKS_ALL)).isZero();
      assertThat(root.resolve("node-" + down).resolve("again-0")).isDirectory();

      int logStart = cluster.broker(down).output().length();
      cluster.start(down);
      assertThat(cluster.broker(down).output().substring(logStart)).contains("removed 1 partition directories", "again-0");
      assertThat(root.resolve("node-" + down).resolve("again-0")).doesNotExist();
      // given a replica of the new topic, it fetches the new log: the old records are nowhere
      List<Integer> three = new java.util.ArrayList<>(cluster.partition("again", 0).replicas());
      three.add(down);
      cluster.request(Addresses.REASSIGN_PARTITION, new ReassignPartitionRequest("again", 0, three), 30_000);
      cluster.awaitFullIsr("again", 0, 3);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster.logBytes(down, "again", 0))
          .isEqualTo(cluster.logBytes(leader, "again", 0)));
      assertThat(AckedWriter.readAll(cluster, "again", 0)).containsExactly(Map.entry(0L, "new-0"));
    }
  }

  /**
   * Appends {@code value} to partition 0 of {@code topic} exactly once: retried only on answers that say nothing was appended (not
   * the leader yet, too few in-sync replicas, nobody at the address yet). A write that timed out may have
   * been appended, and a retry would append it twice (as Kafka's non-idempotent producer does): that fails
   * the test, with a timeout generous enough for a loaded machine.
   */
  private static long produceOnce(ProcessCluster cluster, int leader, String topic, String value, short acks) {
    return await().atMost(Duration.ofSeconds(90)).ignoreExceptionsMatching(ReplicaLogTest::nothingAppended)
        .until(() -> cluster.<ProduceResponse>request(Addresses.produce(leader),
            new ProduceRequest(topic, 0, acks, 30_000, ProtocolCalls.batch(value)), 35_000).baseOffset(), o -> o >= 0);
  }

  private static boolean nothingAppended(Throwable failure) {
    return NOT_APPENDED.contains(BrookErrors.errorOf(failure));
  }

  private static final Set<Errors> NOT_APPENDED = Set.of(Errors.NOT_LEADER_OR_FOLLOWER, Errors.NOT_ENOUGH_REPLICAS,
      Errors.LEADER_NOT_AVAILABLE, Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.FENCED_LEADER_EPOCH);

  @Test
  void aByteFlippedInAnOlderSegmentCostsOnlyItsBatchWhichIsRepairedFromAReplica() throws Exception {
    try (ProcessCluster cluster = startCluster()) {
      cluster.createTopic("flip", 1, 3, Map.of("min.insync.replicas", "2", "segment.bytes", "16384"));
      cluster.awaitFullIsr("flip", 0, 3);
      Map<Long, AckedWriter.Ack> acked;
      try (AckedWriter writer = new AckedWriter(cluster, "flip", 0, "flip-" + "x".repeat(60) + "-")) {
        acked = writer.acked();
        await().atMost(Duration.ofSeconds(90)).until(() -> writer.ackCount() >= 1_200); // several segments
      }
      PartitionMetadata before = cluster.partition("flip", 0);
      int damaged = before.leader();
      Path dir = root.resolve("node-" + damaged).resolve("flip-0");
      cluster.broker(damaged).kill();
      List<Path> segments = CorruptBytes.segments(dir);
      assertThat(segments).as("segments of broker %d", damaged).hasSizeGreaterThan(3);
      CorruptBytes.flipInSecondBatch(segments.get(1)); // an older, flushed segment
      int logStart = cluster.broker(damaged).output().length();
      cluster.start(damaged);
      cluster.awaitFullIsr("flip", 0, 3);
      assertThat(CorruptBytes.segments(dir)).as("recovery keeps every segment").containsAll(segments);
      assertThat(cluster.broker(damaged).output().substring(logStart)).doesNotContain("because an earlier segment");
      // lead from the damaged copy: a read of the corrupt batch makes the leader repair it from a follower
      List<Integer> order = new java.util.ArrayList<>(List.of(damaged));
      before.replicas().stream().filter(id -> id != damaged).forEach(order::add);
      cluster.request(Addresses.REASSIGN_PARTITION, new ReassignPartitionRequest("flip", 0, order), 30_000);
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
        cluster.request(Addresses.ELECT_LEADERS, new ElectLeadersRequest(true, List.of("flip:0")), 10_000);
        return cluster.partition("flip", 0).leader() == damaged;
      });
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .untilAsserted(() -> ReplicatedClusterScenarios.assertAcknowledgedExactlyOnceWithoutGaps(cluster, "flip", acked));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        byte[] leaderLog = cluster.logBytes(damaged, "flip", 0);
        for (int id : before.replicas()) {
          assertThat(cluster.logBytes(id, "flip", 0)).as("log of broker %d", id).isEqualTo(leaderLog);
        }
      });
    }
  }

}
