package io.brook.verticles.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.metadata.PartitionRegistration;
import io.brook.protocol.Addresses;
import io.brook.protocol.message.DeleteRecordsRequest;
import io.brook.protocol.message.DeleteRecordsResponse;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListOffsetsResponse;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.verticles.ProtocolCalls;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DeleteRecords on three brokers on real Hazelcast: the leader answers once every in-sync replica
 * moved its log start offset, so a failover never brings a purged record back; a follower that was
 * away takes the leader's log start when it returns; purges race produce safely.
 */
@Tag("integration")
class DeleteRecordsReplicationTest {
  @TempDir
  Path root;

  @Test
  void aPurgeReachesEveryInSyncReplicaAndAFailoverKeepsIt() {
    try (ReplicatedCluster cluster = startThree()) {
      cluster.controller.createTopic("p", 1, 3, Map.of("min.insync.replicas", "2"));
      int leader = cluster.controller.partition("p", 0).leader();
      ProtocolCalls calls = awaitLeader(cluster, leader, "p");
      produce(calls, leader, "p", "v", 100);

      DeleteRecordsResponse.PartitionResult result = purge(calls, leader, "p", 60, 10_000);
      assertThat(result.error()).isNull();
      assertThat(result.lowWatermark()).isEqualTo(60);
      for (int id = 1; id <= 3; id++) {
        assertThat(cluster.offsets(id, "p", 0).logStartOffset()).as("log start on broker " + id).isEqualTo(60);
      }

      cluster.stopBroker(leader);
      int newLeader = cluster.controller.partition("p", 0).leader();
      assertThat(newLeader).isNotEqualTo(leader).isNotEqualTo(-1);
      ProtocolCalls newCalls = awaitLeader(cluster, newLeader, "p", 60);
      assertThat(cluster.offsets(newLeader, "p", 0).logStartOffset()).isEqualTo(60);
      assertThat(newCalls.errorOf(Addresses.fetch(newLeader), FetchRequest.consumer("p", 0, 59, 1 << 20, 1, 0)))
          .isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
      ListOffsetsResponse earliest = newCalls.request(Addresses.listOffsets(newLeader),
          new ListOffsetsRequest("p", 0, ListOffsetsRequest.EARLIEST));
      assertThat(earliest.offset()).isEqualTo(60);
      List<String> left = newCalls.readAll("p", 0, 60);
      assertThat(left).hasSize(40).first().isEqualTo("60:v60");
    }
  }

  @Test
  void badOffsetsAndWrongBrokersGetClearErrors() {
    try (ReplicatedCluster cluster = startThree()) {
      cluster.controller.createTopic("e", 1, 3, Map.of("min.insync.replicas", "2"));
      cluster.controller.createTopic("c", 1, 3, Map.of("cleanup.policy", "compact"));
      PartitionRegistration e = cluster.controller.partition("e", 0);
      ProtocolCalls calls = awaitLeader(cluster, e.leader(), "e");

      // -1 on an empty partition: the high watermark is 0, nothing to delete
      assertThat(purge(calls, e.leader(), "e", DeleteRecordsRequest.HIGH_WATERMARK, 10_000).lowWatermark()).isZero();
      produce(calls, e.leader(), "e", "x", 10);
      assertThat(purge(calls, e.leader(), "e", 11, 10_000).error()).isEqualTo("OFFSET_OUT_OF_RANGE");
      assertThat(purge(calls, e.leader(), "e", -2, 10_000).error()).isEqualTo("OFFSET_OUT_OF_RANGE");
      assertThat(purge(calls, e.leader(), "e", 5, 10_000).lowWatermark()).isEqualTo(5);
      assertThat(purge(calls, e.leader(), "e", 3, 10_000).lowWatermark()).as("below the start: a no-op").isEqualTo(5);
      assertThat(purge(calls, e.leader(), "e", DeleteRecordsRequest.HIGH_WATERMARK, 10_000).lowWatermark()).isEqualTo(10);

      int follower = e.replicas().stream().filter(id -> id != e.leader()).findFirst().orElseThrow();
      ProtocolCalls toFollower = cluster.callsTo(e.leader(), follower);
      assertThat(purge(toFollower, follower, "e", 5, 10_000).error()).isEqualTo("NOT_LEADER_OR_FOLLOWER");
      DeleteRecordsResponse unknown = calls.request(Addresses.deleteRecords(e.leader()), new DeleteRecordsRequest("e",
          List.of(new DeleteRecordsRequest.PartitionOffset(7, 0)), 1_000));
      // this harness has no metadata quorum, so a broker never counts itself caught up: a partition it does not
      // host is NOT_LEADER_OR_FOLLOWER (retried on fresh metadata), as for any request (BrokerApiVerticle.notHostedHere)
      assertThat(unknown.results().get(0).error()).isIn("UNKNOWN_TOPIC_OR_PARTITION", "NOT_LEADER_OR_FOLLOWER");
      int compactedLeader = cluster.controller.partition("c", 0).leader();
      awaitLeader(cluster, compactedLeader, "c");
      assertThat(purge(cluster.callsTo(e.leader(), compactedLeader), compactedLeader, "c", 0, 10_000).error())
          .isEqualTo("POLICY_VIOLATION");
      assertThat(calls.errorOf(Addresses.deleteRecords(e.leader()), new DeleteRecordsRequest("e", List.of(), 1_000)))
          .isEqualTo(Errors.INVALID_REQUEST);
      assertThat(calls.errorOf(Addresses.deleteRecords(e.leader()), new DeleteRecordsRequest("__consumer_offsets",
          List.of(new DeleteRecordsRequest.PartitionOffset(0, 0)), 1_000))).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    }
  }

  @Test
  void purgesRacingProduceNeverLoseAnAcknowledgedRecordAboveTheStart() {
    // proves: purges to the high watermark while acks=all writes stream in: offsets stay unique, the start
    // never passes the high watermark, each answer is at least the previous one, and the replicas agree
    try (ReplicatedCluster cluster = startThree()) {
      cluster.controller.createTopic("r", 1, 3, Map.of("min.insync.replicas", "2", "segment.bytes", "2048"));
      int leader = cluster.controller.partition("r", 0).leader();
      ProtocolCalls calls = awaitLeader(cluster, leader, "r");
      List<Future<ProduceResponse>> produced = new ArrayList<>();
      long lastLow = 0;
      for (int i = 0; i < 200; i++) {
        produced.add(calls.requestLater(Addresses.produce(leader), new ProduceRequest("r", 0, ProduceRequest.ACKS_ALL,
            10_000, ProtocolCalls.batch("c" + i))));
        if (i % 20 == 19) {
          DeleteRecordsResponse.PartitionResult result = purge(calls, leader, "r", DeleteRecordsRequest.HIGH_WATERMARK,
              10_000);
          assertThat(result.error()).isNull();
          assertThat(result.lowWatermark()).isGreaterThanOrEqualTo(lastLow);
          lastLow = result.lowWatermark();
        }
      }
      Set<Long> offsets = new HashSet<>();
      for (Future<ProduceResponse> f : produced) {
        offsets.add(f.await().baseOffset());
      }
      assertThat(offsets).hasSize(200);
      DeleteRecordsResponse.PartitionResult last = purge(calls, leader, "r", 150, 10_000);
      long start = Math.max(150, lastLow);
      assertThat(last.lowWatermark()).isEqualTo(start);
      List<String> left = calls.readAll("r", 0, start);
      assertThat(left).hasSize((int) (200 - start));
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        for (int id = 1; id <= 3; id++) {
          assertThat(cluster.offsets(id, "r", 0).logStartOffset()).isEqualTo(start);
          assertThat(cluster.offsets(id, "r", 0).logEndOffset()).isEqualTo(200);
        }
      });
    }
  }

  @Test
  void aFollowerAwayDuringThePurgeTakesTheLeadersLogStartWhenItReturns() {
    try (ReplicatedCluster cluster = startThree()) {
      cluster.controller.createTopic("a", 1, 3, Map.of("min.insync.replicas", "2"));
      PartitionRegistration before = cluster.controller.partition("a", 0);
      int leader = before.leader();
      ProtocolCalls calls = awaitLeader(cluster, leader, "a");
      produce(calls, leader, "a", "w", 50);
      List<Integer> followers = before.replicas().stream().filter(id -> id != leader).toList();
      int away = followers.get(0);
      int other = followers.get(1);

      // still in the ISR but not fetching: the leader moves its start, the answer waits, then times out
      cluster.pauseReplica(away, "a", 0);
      assertThat(purge(calls, leader, "a", 20, 1_000).error()).isEqualTo("REQUEST_TIMED_OUT");
      assertThat(cluster.offsets(leader, "a", 0).logStartOffset()).isEqualTo(20);

      cluster.stopBroker(away); // fenced: out of the ISR, the purge now completes on the two left
      await().atMost(Duration.ofSeconds(20)).until(() -> cluster.controller.partition("a", 0).isr().size() == 2);
      assertThat(purge(calls, leader, "a", 20, 10_000).lowWatermark()).isEqualTo(20);
      produce(calls, leader, "a", "later", 10);

      cluster.startBroker(away);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(cluster.controller.partition("a", 0).isr()).contains(away);
        assertThat(cluster.offsets(away, "a", 0).logStartOffset()).isEqualTo(20);
        assertThat(cluster.offsets(away, "a", 0).logEndOffset()).isEqualTo(60);
      });

      cluster.stopBroker(leader); // the returned follower must lead without the purged records
      if (cluster.controller.partition("a", 0).leader() != away) {
        cluster.stopBroker(other);
      }
      assertThat(cluster.controller.partition("a", 0).leader()).isEqualTo(away);
      ProtocolCalls awayCalls = awaitLeader(cluster, away, "a", 20);
      assertThat(awayCalls.errorOf(Addresses.fetch(away), FetchRequest.consumer("a", 0, 19, 1 << 20, 1, 0)))
          .isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
      assertThat(awayCalls.readAll("a", 0, 20)).hasSize(40).first().isEqualTo("20:w20");
    }
  }

  @Test
  void aFollowerBehindALogStartInsideABatchRestartsAtTheBatchAndKeepsThePurgedStart() {
    // proves: Kafka's follower path when the leader's log start falls inside a batch: the follower restarts
    // its log at that batch's base, takes the batch whole, then moves its start back up to the leader's
    try (ReplicatedCluster cluster = startThree()) {
      cluster.controller.createTopic("b", 1, 3, Map.of("min.insync.replicas", "2"));
      PartitionRegistration before = cluster.controller.partition("b", 0);
      int leader = before.leader();
      ProtocolCalls calls = awaitLeader(cluster, leader, "b");
      int away = before.replicas().stream().filter(id -> id != leader).findFirst().orElseThrow();
      cluster.stopBroker(away);
      await().atMost(Duration.ofSeconds(20)).until(() -> cluster.controller.partition("b", 0).isr().size() == 2);
      for (int b = 0; b < 10; b++) { // ten batches of five records: offsets 0..49
        String[] values = new String[5];
        for (int r = 0; r < 5; r++) {
          values[r] = "m" + (b * 5 + r);
        }
        calls.request(Addresses.produce(leader), new ProduceRequest("b", 0, ProduceRequest.ACKS_ALL, 10_000,
            ProtocolCalls.batch(values)));
      }
      assertThat(purge(calls, leader, "b", 23, 10_000).lowWatermark()).isEqualTo(23);

      cluster.startBroker(away); // its log ends at 0, below the leader's start
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        assertThat(cluster.offsets(away, "b", 0).logEndOffset()).isEqualTo(50);
        assertThat(cluster.offsets(away, "b", 0).logStartOffset()).isEqualTo(23);
        assertThat(cluster.controller.partition("b", 0).isr()).contains(away);
      });
      assertThat(cluster.logBytes(away, "b", 0)).isEqualTo(cluster.logBytes(leader, "b", 0));

      for (int id : before.replicas()) {
        if (id != away && cluster.controller.partition("b", 0).leader() != away) {
          cluster.stopBroker(id);
        }
      }
      assertThat(cluster.controller.partition("b", 0).leader()).isEqualTo(away);
      ProtocolCalls awayCalls = awaitLeader(cluster, away, "b", 23);
      assertThat(awayCalls.errorOf(Addresses.fetch(away), FetchRequest.consumer("b", 0, 22, 1 << 20, 1, 0)))
          .isEqualTo(Errors.OFFSET_OUT_OF_RANGE);
      assertThat(awayCalls.readAll("b", 0, 23)).hasSize(27).first().isEqualTo("23:m23");
    }
  }

  private ReplicatedCluster startThree() {
    ReplicatedCluster cluster = new ReplicatedCluster(root, Map.of());
    for (int id = 1; id <= 3; id++) {
      cluster.startBroker(id);
    }
    return cluster;
  }

  private static void produce(ProtocolCalls calls, int leader, String topic, String prefix, int count) {
    for (int i = 0; i < count; i++) {
      calls.request(Addresses.produce(leader), new ProduceRequest(topic, 0, ProduceRequest.ACKS_ALL, 10_000,
          ProtocolCalls.batch(prefix + i)));
    }
  }

  private static DeleteRecordsResponse.PartitionResult purge(ProtocolCalls calls, int leader, String topic, long offset,
      int timeoutMs) {
    DeleteRecordsResponse response = calls.request(Addresses.deleteRecords(leader), new DeleteRecordsRequest(topic,
        List.of(new DeleteRecordsRequest.PartitionOffset(0, offset)), timeoutMs));
    assertThat(response.topic()).isEqualTo(topic);
    assertThat(response.results()).hasSize(1);
    return response.results().get(0);
  }

  private static ProtocolCalls awaitLeader(ReplicatedCluster cluster, int leader, String topic) {
    return awaitLeader(cluster, leader, topic, 0);
  }

  /** The leader answers once the replica managers applied the metadata and its addresses propagated. */
  private static ProtocolCalls awaitLeader(ReplicatedCluster cluster, int leader, String topic, long from) {
    ProtocolCalls calls = cluster.callsTo(leader, leader);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> calls.readAll(topic, 0, from) != null);
    return calls;
  }
}
