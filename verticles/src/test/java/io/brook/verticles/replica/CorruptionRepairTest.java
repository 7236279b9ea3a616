package io.brook.verticles.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.metadata.PartitionRegistration;
import io.brook.protocol.Addresses;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ReplicaFetchRequest;
import io.brook.protocol.message.ReplicaFetchResponse;
import io.brook.storage.PartitionLog;
import io.brook.verticles.ProtocolCalls;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica restarted with a byte flipped in an older segment becomes the leader: a follower that
 * must fetch the corrupt batch gets CORRUPT_MESSAGE (no stuck loop), the leader finds no copy while
 * no other replica has one, and once a replica with the batch is in sync again the leader writes its
 * copy over the corrupt bytes: every replica ends byte-identical and every record is readable.
 */
@Tag("integration")
class CorruptionRepairTest {
  private static final String TOPIC = "c";

  @TempDir
  Path root;

  @Test
  void aCorruptBatchOnTheLeaderIsRepairedFromAReplicaAndAFollowerIsNeverWedged() throws IOException {
    try (ReplicatedCluster cluster = new ReplicatedCluster(root, Map.of())) {
      for (int id = 1; id <= 3; id++) {
        cluster.startBroker(id);
      }
      cluster.controller.createTopic(TOPIC, 1, 3, Map.of("min.insync.replicas", "1", "segment.bytes", "1024"));
      PartitionRegistration start = cluster.controller.partition(TOPIC, 0);
      int oldLeader = start.leader();
      List<Integer> followers = start.replicas().stream().filter(id -> id != oldLeader).sorted().toList();
      int damaged = followers.get(0);
      int fresh = followers.get(1);
      ProtocolCalls calls = awaitLeader(cluster, oldLeader);
      List<String> acked = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String value = "v" + i + "-" + "x".repeat(100);
        calls.request(Addresses.produce(oldLeader), new ProduceRequest(TOPIC, 0, ProduceRequest.ACKS_ALL, 10_000,
            ProtocolCalls.batch(value)));
        acked.add(i + ":" + value);
      }
      awaitIdenticalLogs(cluster, Set.of(1, 2, 3), oldLeader);

      // the damaged replica: a flipped byte in an older segment, then an unclean restart
      cluster.stopBroker(damaged);
      Path partitionDir = root.resolve("node-" + damaged).resolve(TOPIC + "-0");
      Files.deleteIfExists(partitionDir.resolve(".brook_cleanshutdown"));
      Path olderSegment = segmentFiles(partitionDir).get(1);
      long[] victim = batches(olderSegment).get(1); // {position, size, base offset, last offset}
      flipByte(olderSegment, (int) (victim[0] + victim[1] - 9));
      cluster.startBroker(damaged);
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.controller.partition(TOPIC, 0).isr().size() == 3);

      // it becomes the leader; the third replica restarts with an empty log
      cluster.stopBroker(fresh);
      deleteTree(root.resolve("node-" + fresh).resolve(TOPIC + "-0"));
      cluster.fenceOnly(oldLeader);
      PartitionRegistration led = cluster.controller.partition(TOPIC, 0);
      assertThat(led.leader()).isEqualTo(damaged);
      ProtocolCalls leaderCalls = awaitLeader(cluster, damaged);
      cluster.startBroker(fresh);

      // the fresh follower cannot get past the corrupt batch while nobody has a copy, and is told so
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.offsets(fresh, TOPIC, 0).logEndOffset() == victim[2]);
      Errors answer = cluster.callsTo(damaged, damaged).errorOf(Addresses.replicaFetch(damaged),
          new ReplicaFetchRequest(TOPIC, 0, fresh, led.leaderEpoch(), victim[2], ReplicaFetchRequest.NO_EPOCH, 1 << 20, 0,
          ReplicaFetchRequest.UNKNOWN_LOG_START));
      assertThat(answer).isEqualTo(Errors.CORRUPT_MESSAGE);
      assertThat(cluster.offsets(fresh, TOPIC, 0).logEndOffset()).isEqualTo(victim[2]);

      // the old leader comes back as a follower with the intact batch: the leader repairs from it
      cluster.unfence(oldLeader);
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .untilAsserted(() -> assertThat(leaderCalls.readAll(TOPIC, 0, 0)).isEqualTo(acked));
      awaitIdenticalLogs(cluster, Set.of(1, 2, 3), damaged);
      ReplicaFetchResponse served = cluster.callsTo(damaged, damaged).request(Addresses.replicaFetch(damaged),
          new ReplicaFetchRequest(TOPIC, 0, fresh, led.leaderEpoch(), victim[2], ReplicaFetchRequest.NO_EPOCH, 1 << 20, 0,
          ReplicaFetchRequest.UNKNOWN_LOG_START));
      assertThat(served.errorCode()).isZero();
      assertThat(served.memoryRecords().batches().iterator().next().baseOffset()).isEqualTo(victim[2]);
    }
  }

  private static ProtocolCalls awaitLeader(ReplicatedCluster cluster, int leader) {
    ProtocolCalls calls = cluster.callsTo(leader, leader);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> calls.fetch(TOPIC, 0, 0) != null);
    return calls;
  }

  private static void awaitIdenticalLogs(ReplicatedCluster cluster, Set<Integer> brokers, int reference) {
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
      for (int id : brokers) {
        assertThat(cluster.logBytes(id, TOPIC, 0)).as("log of broker " + id)
            .isEqualTo(cluster.logBytes(reference, TOPIC, 0));
      }
    });
  }

  private static List<Path> segmentFiles(Path partitionDir) throws IOException {
    try (Stream<Path> files = Files.list(partitionDir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
    }
  }

  /** Each batch of a segment file: {position, size, base offset, last offset}. */
  private static List<long[]> batches(Path segment) throws IOException {
    List<long[]> batches = new ArrayList<>();
    try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
      for (FileChannelRecordBatch batch : records.batches()) {
        batches.add(new long[] {batch.position(), batch.sizeInBytes(), batch.baseOffset(), batch.lastOffset()});
      }
    }
    return batches;
  }

  private static void flipByte(Path file, int position) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(position);
      int value = raf.read();
      raf.seek(position);
      raf.write(value ^ 0xA5);
    }
  }

  private static void deleteTree(Path dir) {
    PartitionLog.delete(dir);
  }
}
