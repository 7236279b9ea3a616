package io.brook.client.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Proves a client's metadata never goes back to an older leader epoch of a partition (KIP-320). */
class MetadataSnapshotTest {
  static final String ID = "AAAAAAAAAAAAAAAAAAAAAQ";
  static final TopicPartition P0 = new TopicPartition("t", 0);
  static final TopicPartition P1 = new TopicPartition("t", 1);

  static TopicMetadata topic(String id, int... leaderAndEpochPairs) {
    List<PartitionMetadata> partitions = new java.util.ArrayList<>();
    for (int i = 0; i < leaderAndEpochPairs.length; i += 2) {
      int leader = leaderAndEpochPairs[i];
      partitions.add(new PartitionMetadata(i / 2, leader, leaderAndEpochPairs[i + 1], List.of(1, 2, 3),
          List.of(1, 2, 3)));
    }
    return new TopicMetadata("t", null, (short) 3, partitions, id);
  }

  @Test
  void aBrokerThatLagsCannotTakeAPartitionBackToItsFormerLeader() {
    MetadataSnapshot fresh = MetadataSnapshot.EMPTY.merge(List.of(topic(ID, 2, 7, 3, 1)));
    // a broker cut off at epoch 6 of partition 0 still names itself; partition 1 moved on meanwhile
    MetadataSnapshot afterStale = fresh.merge(List.of(topic(ID, 1, 6, 1, 2)));
    assertThat(afterStale.leader(P0)).isEqualTo(2);
    assertThat(afterStale.leaderEpoch(P0)).isEqualTo(7);
    assertThat(afterStale.leader(P1)).as("a newer epoch is taken").isEqualTo(1);
    assertThat(afterStale.leaderEpoch(P1)).isEqualTo(2);
  }

  @Test
  void theSameEpochIsTakenAsAnsweredAndANewerOneReplacesIt() {
    MetadataSnapshot snapshot = MetadataSnapshot.EMPTY.merge(List.of(topic(ID, 2, 7)));
    assertThat(snapshot.merge(List.of(topic(ID, -1, 7))).leader(P0)).as("same epoch: as answered").isEqualTo(-1);
    assertThat(snapshot.merge(List.of(topic(ID, 3, 8))).leader(P0)).isEqualTo(3);
  }

  @Test
  void aTopicCreatedAgainUnderTheSameNameStartsItsEpochsOver() {
    MetadataSnapshot old = MetadataSnapshot.EMPTY.merge(List.of(topic(ID, 2, 7)));
    MetadataSnapshot recreated = old.merge(List.of(topic("AAAAAAAAAAAAAAAAAAAAAg", 3, 0)));
    assertThat(recreated.leader(P0)).isEqualTo(3);
    assertThat(recreated.leaderEpoch(P0)).isZero();
  }

  @Test
  void anAnswerFromBeforeAPartitionWasAddedKeepsThePartition() {
    MetadataSnapshot two = MetadataSnapshot.EMPTY.merge(List.of(topic(ID, 2, 0, 3, 0)));
    MetadataSnapshot stale = two.merge(List.of(topic(ID, 2, 0)));
    assertThat(stale.topic("t").partitionCount()).isEqualTo(2);
    assertThat(stale.leader(P1)).isEqualTo(3);
  }
}
