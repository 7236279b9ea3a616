package io.brook.verticles.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.metadata.CreateTopic;
import io.brook.metadata.MetadataRecord;
import io.brook.metadata.MetadataRecordSerde;
import io.brook.metadata.RegisterBroker;
import io.brook.metadata.UnfenceBroker;
import io.brook.quorum.ControlRecords;
import io.brook.quorum.PartitionQuorumLog;
import io.brook.quorum.QuorumMessages.QuorumStatus;
import io.brook.quorum.ReplicaKey;
import io.brook.quorum.VoterSet;
import io.brook.storage.LogConfig;
import io.brook.storage.PartitionLog;
import io.brook.storage.Time;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a broker gives up a cluster it founded alone: only for a real cluster, and only if it holds nothing a client made. */
class LoneFoundingTest {
  private static final ReplicaKey ONE = new ReplicaKey(1, new Uuid(1, 1).toString());
  private static final ReplicaKey TWO = new ReplicaKey(2, new Uuid(1, 2).toString());
  private static final Optional<VoterSet> ALONE = Optional.of(VoterSet.of(ONE));

  @TempDir
  Path dir;

  private static QuorumStatus heard(String clusterId, int voters) {
    return new QuorumStatus(clusterId, 2, 5, 2, "bus-2", voters);
  }

  @Test
  void aLoneFounderYieldsToAClusterWithMoreVoters() {
    assertThat(LoneFounding.yieldsTo(1, "lone", ALONE, heard("real", 3))).isTrue();
    assertThat(LoneFounding.yieldsTo(1, "lone", ALONE, heard("real", 2))).isTrue();
  }

  @Test
  void aClusterOfSeveralVotersNeverYields() {
    assertThat(LoneFounding.yieldsTo(1, "mine", Optional.of(VoterSet.of(ONE).with(TWO)), heard("real", 3))).isFalse();
    assertThat(LoneFounding.yieldsTo(1, "mine", Optional.empty(), heard("real", 3))).isFalse();
    assertThat(LoneFounding.yieldsTo(1, "mine", Optional.of(VoterSet.of(TWO)), heard("real", 3))).as("not its voter")
        .isFalse();
  }

  @Test
  void ofTwoLoneClustersExactlyOneYields() {
    assertThat(LoneFounding.yieldsTo(1, "b-cluster", ALONE, heard("a-cluster", 1))).isTrue();
    assertThat(LoneFounding.yieldsTo(1, "a-cluster", ALONE, heard("b-cluster", 1))).isFalse();
  }

  @Test
  void aBrokerThatDoesNotSayItsVotersOrItsOwnClusterIsNoReason() {
    assertThat(LoneFounding.yieldsTo(1, "lone", ALONE, heard("real", 0))).as("a broker from before the voter count")
        .isFalse();
    assertThat(LoneFounding.yieldsTo(1, "lone", ALONE, heard("lone", 3))).isFalse();
    assertThat(LoneFounding.yieldsTo(1, "lone", ALONE, heard(null, 0))).isFalse();
  }

  @Test
  void aFoundingWithOnlyItsOwnRegistrationHoldsNothingElse() throws IOException {
    try (Log log = new Log(dir)) {
      log.founding();
      assertThat(LoneFounding.holdsOnlyItsFounding(log.quorum, 1)).isTrue();
    }
  }

  @Test
  void aTopicMeansAClientUsedTheCluster() throws IOException {
    try (Log log = new Log(dir)) {
      log.founding();
      log.append(new CreateTopic("orders", Uuid.randomUuid(), 1, Map.of()));
      assertThat(LoneFounding.holdsOnlyItsFounding(log.quorum, 1)).isFalse();
    }
  }

  @Test
  void anotherBrokersRegistrationMeansTheClusterGrew() throws IOException {
    try (Log log = new Log(dir)) {
      log.founding();
      log.append(new RegisterBroker(2, 1, "127.0.0.1", 8081, 7071, "bus-2", new Uuid(1, 2).toString(), "/d2", "", -1));
      assertThat(LoneFounding.holdsOnlyItsFounding(log.quorum, 1)).isFalse();
    }
  }

  /** A metadata log on disk, as the quorum verticle holds it. */
  private static final class Log implements AutoCloseable {
    final PartitionLog partitionLog;
    final PartitionQuorumLog quorum;

    Log(Path dir) throws IOException {
      partitionLog = PartitionLog.open(dir.resolve("__cluster_metadata-0"), LogConfig.defaults(), Time.SYSTEM);
      quorum = new PartitionQuorumLog(partitionLog);
    }

    void founding() {
      quorum.appendAsFollower(ControlRecords.voters(0, 0, VoterSet.of(ONE), 0));
      quorum.appendAsFollower(ControlRecords.leaderChange(1, 1, 1, VoterSet.of(ONE), 0));
      append(new RegisterBroker(1, 1, "127.0.0.1", 8080, 7070, "bus-1", ONE.directoryId(), "/d1", "", -1));
      append(new UnfenceBroker(1, 1));
    }

    void append(MetadataRecord record) {
      quorum.appendAsLeader(MemoryRecords.withRecords(Compression.NONE, MetadataRecordSerde.toSimpleRecord(record, 0)), 1);
    }

    @Override
    public void close() {
      partitionLog.close();
    }
  }
}
