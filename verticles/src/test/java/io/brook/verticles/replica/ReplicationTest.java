package io.brook.verticles.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.metadata.PartitionRegistration;
import io.brook.protocol.Addresses;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.verticles.BrokerConfig;
import io.brook.verticles.ProtocolCalls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers on real Hazelcast replicate a partition: acks=all is answered once the in-sync
 * replicas have the records, followers' logs equal the leader's byte for byte, a failover keeps every
 * acknowledged record, and min.insync.replicas refuses writes the ISR cannot hold.
 */
@Tag("integration")
class ReplicationTest {
  @TempDir
  Path root;

  @Test
  void acksAllWritesReachEveryReplicaByteForByte() {
    try (ReplicatedCluster cluster = new ReplicatedCluster(root, Map.of())) {
      for (int id = 1; id <= 3; id++) {
        cluster.startBroker(id);
      }
      cluster.controller.createTopic("r", 1, 3, Map.of("min.insync.replicas", "2"));
      int leader = cluster.controller.partition("r", 0).leader();
      ProtocolCalls calls = awaitLeader(cluster, leader, "r");
      List<String> acked = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        ProduceResponse response = calls.request(Addresses.produce(leader),
            new ProduceRequest("r", 0, ProduceRequest.ACKS_ALL, 10_000, ProtocolCalls.batch("v" + i)));
        assertThat(response.baseOffset()).isEqualTo(i);
        acked.add(i + ":v" + i);
      }
      assertThat(calls.readAll("r", 0, 0)).containsExactlyElementsOf(acked);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        for (int id = 1; id <= 3; id++) {
          assertThat(cluster.logBytes(id, "r", 0)).isEqualTo(cluster.logBytes(leader, "r", 0));
        }
      });
    }
  }

  @Test
  void failoverKeepsEveryAcknowledgedRecord() {
    try (ReplicatedCluster cluster = new ReplicatedCluster(root, Map.of())) {
      for (int id = 1; id <= 3; id++) {
        cluster.startBroker(id);
      }
      cluster.controller.createTopic("f", 1, 3, Map.of("min.insync.replicas", "2"));
      int oldLeader = cluster.controller.partition("f", 0).leader();
      ProtocolCalls calls = awaitLeader(cluster, oldLeader, "f");
      for (int i = 0; i < 100; i++) {
        calls.request(Addresses.produce(oldLeader), new ProduceRequest("f", 0, ProduceRequest.ACKS_ALL, 10_000,
            ProtocolCalls.batch("before-" + i)));
      }
      cluster.stopBroker(oldLeader);
      PartitionRegistration after = cluster.controller.partition("f", 0);
      assertThat(after.leader()).isNotEqualTo(oldLeader).isNotEqualTo(-1);
      int via = after.leader();
      ProtocolCalls newCalls = awaitLeader(cluster, via, "f");
      List<String> log = newCalls.readAll("f", 0, 0);
      assertThat(log).hasSize(100);
      for (int i = 0; i < 100; i++) {
        assertThat(log.get(i)).isEqualTo(i + ":before-" + i);
      }
      ProduceResponse more = newCalls.request(Addresses.produce(via), new ProduceRequest("f", 0,
          ProduceRequest.ACKS_ALL, 10_000, ProtocolCalls.batch("after")));
      assertThat(more.baseOffset()).isEqualTo(100);
    }
  }

  @Test
  void minInsyncReplicasRefusesWhatTheIsrCannotHold() {
    try (ReplicatedCluster cluster = new ReplicatedCluster(root, Map.of())) {
      for (int id = 1; id <= 2; id++) {
        cluster.startBroker(id);
      }
      cluster.controller.createTopic("m", 1, 2, Map.of("min.insync.replicas", "2"));
      int leader = cluster.controller.partition("m", 0).leader();
      ProtocolCalls calls = awaitLeader(cluster, leader, "m");
      calls.request(Addresses.produce(leader), new ProduceRequest("m", 0, ProduceRequest.ACKS_ALL, 10_000,
          ProtocolCalls.batch("ok")));
      cluster.stopBroker(leader == 1 ? 2 : 1); // the follower goes: the ISR shrinks to the leader
      await().atMost(Duration.ofSeconds(20)).until(() -> cluster.controller.partition("m", 0).isr().size() == 1);
      await().atMost(Duration.ofSeconds(20)).until(() -> calls.errorOf(Addresses.produce(leader),
          new ProduceRequest("m", 0, ProduceRequest.ACKS_ALL, 10_000, ProtocolCalls.batch("refused")))
          == Errors.NOT_ENOUGH_REPLICAS);
      ProduceResponse acksOne = calls.request(Addresses.produce(leader), new ProduceRequest("m", 0,
          ProduceRequest.ACKS_LEADER, 10_000, ProtocolCalls.batch("acks=1 still works")));
      assertThat(acksOne.baseOffset()).isEqualTo(1);
    }
  }

  @Test
  void aFormerLeaderTruncatesWhatOnlyItHadAndMatchesTheNewLeader() {
    try (ReplicatedCluster cluster = new ReplicatedCluster(root, Map.of())) {
      for (int id = 1; id <= 3; id++) {
        cluster.startBroker(id);
      }
      cluster.controller.createTopic("d", 1, 3, Map.of("min.insync.replicas", "2"));
      PartitionRegistration before = cluster.controller.partition("d", 0);
      int oldLeader = before.leader();
      ProtocolCalls calls = awaitLeader(cluster, oldLeader, "d");
      for (int i = 0; i < 10; i++) {
        calls.request(Addresses.produce(oldLeader), new ProduceRequest("d", 0, ProduceRequest.ACKS_ALL, 10_000,
            ProtocolCalls.batch("committed-" + i)));
      }
      // the followers stop fetching; the leader takes acks=1 writes nobody else gets
      before.replicas().stream().filter(id -> id != oldLeader).forEach(id -> cluster.pauseReplica(id, "d", 0));
      for (int i = 0; i < 5; i++) {
        calls.request(Addresses.produce(oldLeader), new ProduceRequest("d", 0, ProduceRequest.ACKS_LEADER, 10_000,
            ProtocolCalls.batch("lost-" + i)));
      }
      assertThat(cluster.offsets(oldLeader, "d", 0).logEndOffset()).isEqualTo(15);

      cluster.fenceOnly(oldLeader); // the controller elects another leader; the old one still runs
      int newLeader = cluster.controller.partition("d", 0).leader();
      assertThat(newLeader).isNotEqualTo(oldLeader);
      ProtocolCalls newCalls = awaitLeader(cluster, newLeader, "d");
      for (int i = 0; i < 3; i++) {
        ProduceResponse response = newCalls.request(Addresses.produce(newLeader), new ProduceRequest("d", 0,
            ProduceRequest.ACKS_ALL, 10_000, ProtocolCalls.batch("new-" + i)));
        assertThat(response.baseOffset()).isEqualTo(10 + i);
      }
      // the stale leader cannot acknowledge an acks=all write: its followers left it
      assertThat(calls.errorOf(Addresses.produce(oldLeader), new ProduceRequest("d", 0, ProduceRequest.ACKS_ALL, 3_000,
          ProtocolCalls.batch("stale")))).isIn(Errors.REQUEST_TIMED_OUT, Errors.NOT_LEADER_OR_FOLLOWER);

      cluster.unfence(oldLeader); // it comes back as a follower of the new leader and truncates
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        for (int id = 1; id <= 3; id++) {
          assertThat(cluster.logBytes(id, "d", 0)).as("log of broker " + id).isEqualTo(cluster.logBytes(newLeader, "d", 0));
        }
      });
      List<String> log = newCalls.readAll("d", 0, 0);
      assertThat(log).hasSize(13).noneMatch(v -> v.contains("lost")).noneMatch(v -> v.contains("stale"));
    }
  }

  @Test
  void acksAllBeyondTheWaitingLimitIsRefusedBeforeAnythingIsWritten() {
    // proves: with 4 x queued.max.requests acks=all writes waiting for replication, the next one fails
    // with THROTTLING_QUOTA_EXCEEDED and is not in the log, so the client's retry cannot duplicate it
    try (ReplicatedCluster cluster = new ReplicatedCluster(root, Map.of(BrokerConfig.QUEUED_MAX_REQUESTS, 1))) {
      for (int id = 1; id <= 3; id++) {
        cluster.startBroker(id);
      }
      cluster.controller.createTopic("q", 1, 3, Map.of("min.insync.replicas", "2"));
      PartitionRegistration p = cluster.controller.partition("q", 0);
      int leader = p.leader();
      ProtocolCalls calls = awaitLeader(cluster, leader, "q");
      calls.request(Addresses.produce(leader), new ProduceRequest("q", 0, ProduceRequest.ACKS_ALL, 10_000,
          ProtocolCalls.batch("replicated")));
      p.replicas().stream().filter(id -> id != leader).forEach(id -> cluster.pauseReplica(id, "q", 0));
      for (int i = 0; i < 4; i++) { // one at a time: queued.max.requests=1 also bounds the append queue
        calls.requestLater(Addresses.produce(leader), new ProduceRequest("q", 0, ProduceRequest.ACKS_ALL, 30_000,
            ProtocolCalls.batch("waiting-" + i)));
        long end = 2 + i;
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.offsets(leader, "q", 0).logEndOffset() == end);
      }
      assertThat(calls.errorOf(Addresses.produce(leader), new ProduceRequest("q", 0, ProduceRequest.ACKS_ALL, 10_000,
          ProtocolCalls.batch("one too many")))).isEqualTo(Errors.THROTTLING_QUOTA_EXCEEDED);
      assertThat(cluster.offsets(leader, "q", 0).logEndOffset()).isEqualTo(5);
    }
  }

  /** The leader answers once the replica managers applied the metadata and its addresses propagated. */
  private static ProtocolCalls awaitLeader(ReplicatedCluster cluster, int leader, String topic) {
    ProtocolCalls calls = cluster.callsTo(leader, leader);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> calls.readAll(topic, 0, 0) != null);
    return calls;
  }
}
