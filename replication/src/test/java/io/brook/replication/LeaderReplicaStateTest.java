package io.brook.replication;

import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LeaderReplicaStateTest {

    private static final List<Integer> REPLICAS = List.of(0, 1, 2);

    private static ReplicationConfig config(int minInsync) {
        return ReplicationConfig.fromMap(Map.of(ReplicationConfig.MIN_INSYNC_REPLICAS_CONFIG, minInsync,
            ReplicationConfig.REPLICA_LAG_TIME_MAX_MS_CONFIG, 1_000L,
            ReplicationConfig.ALTER_PARTITION_RETRY_BACKOFF_MS_CONFIG, 500L));
    }

    /** Broker 0 leads epoch 3 (partition epoch 7) with its log ending at {@code logEnd}. */
    private static LeaderReplicaState leader(Set<Integer> isr, int minInsync, long logEnd, long highWatermark) {
        return LeaderReplicaState.becomeLeader(0, new PartitionState(0, 3, 7, REPLICAS, isr), logEnd, highWatermark,
            config(minInsync), 0);
    }

    @Test
    void highWatermarkIsTheLowestLogEndOfTheIsrAndWaitsForUnknownFollowers() {
        // proves: HW = min LEO over the ISR; a follower that has not fetched in this epoch holds it back
        LeaderReplicaState leader = leader(Set.of(0, 1, 2), 1, 10, 4);
        assertThat(leader.highWatermark()).isEqualTo(4);
        assertThat(leader.onFollowerFetch(1, 10, 5)).isFalse();
        assertThat(leader.highWatermark()).as("follower 2 is unknown").isEqualTo(4);
        assertThat(leader.onFollowerFetch(2, 8, 5)).isTrue();
        assertThat(leader.highWatermark()).isEqualTo(8);
        assertThat(leader.onLocalAppend(15)).isFalse();
        assertThat(leader.onFollowerFetch(2, 15, 6)).isTrue();
        assertThat(leader.highWatermark()).isEqualTo(10);
    }

    @Test
    void highWatermarkNeverGoesBack() {
        // proves: a follower fetching from lower down (after its own truncation) does not lower the HW
        LeaderReplicaState leader = leader(Set.of(0, 1), 1, 10, 0);
        leader.onFollowerFetch(1, 10, 5);
        assertThat(leader.highWatermark()).isEqualTo(10);
        leader.onFollowerFetch(1, 6, 6);
        assertThat(leader.highWatermark()).isEqualTo(10);
    }

    @Test
    void aLoneInSyncLeaderCommitsItsAppendsAtOnce() {
        // proves: ISR = {leader} >= min.insync.replicas=1: the HW follows the log end
        LeaderReplicaState leader = leader(Set.of(0), 1, 0, 0);
        assertThat(leader.onLocalAppend(3)).isTrue();
        assertThat(leader.highWatermark()).isEqualTo(3);
    }

    @Test
    void belowMinInsyncTheHighWatermarkStallsAndAcksAllIsRefused() {
        // proves: with ISR {0} and min.insync.replicas=2 nothing of this epoch commits and acks=all fails
        // fast; records of earlier epochs (below the epoch start, 5) become readable, as this leader's log
        // is now the partition's history
        LeaderReplicaState leader = leader(Set.of(0), 2, 5, 2);
        assertThat(leader.highWatermark()).isEqualTo(5);
        assertThat(leader.onLocalAppend(9)).isFalse();
        assertThat(leader.onLocalAppend(12)).isFalse();
        assertThat(leader.highWatermark()).isEqualTo(5);
        assertThatThrownBy(leader::checkAcksAll).isInstanceOf(NotEnoughReplicasException.class);

        leader.onFollowerFetch(1, 9, 10);
        IsrChangeProposal expand = leader.isrChangeToSend(10).orElseThrow();
        assertThat(expand.newIsr()).containsExactly(0, 1);
        assertThat(leader.highWatermark()).as("a pending expansion does not grow the committed ISR").isEqualTo(5);
        assertThat(leader.onIsrCommitted(Set.of(0, 1), 8, 11)).isTrue();
        assertThat(leader.highWatermark()).isEqualTo(9);
        assertThatCode(leader::checkAcksAll).doesNotThrowAnyException();
    }

    @Test
    void aFollowerJoinsOnlyOnceItReachesTheHighWatermarkAndTheStartOfThisEpoch() {
        // proves: a follower at the HW but short of the leader epoch's start offset may lack records the
        // previous leader committed; it is proposed only once it reaches that start
        LeaderReplicaState leader = leader(Set.of(0, 1), 1, 20, 12);
        assertThat(leader.leaderEpochStartOffset()).isEqualTo(20);
        leader.onFollowerFetch(2, 15, 5);
        assertThat(leader.pendingIsr()).isEmpty();
        leader.onFollowerFetch(2, 20, 6);
        assertThat(leader.pendingIsr()).contains(Set.of(0, 1, 2));
        assertThat(leader.maximalIsr()).containsExactly(0, 1, 2);
    }

    @Test
    void aLaggingFollowerIsProposedOutButStillCountedUntilTheControllerAgrees() {
        // proves: shrink after replica.lag.time.max.ms; the HW keeps waiting for it while the change is pending
        LeaderReplicaState leader = leader(Set.of(0, 1, 2), 1, 10, 0);
        leader.onFollowerFetch(1, 10, 100);
        leader.onFollowerFetch(2, 4, 100);
        assertThat(leader.maybeShrinkIsr(1_000)).isFalse();
        leader.onFollowerFetch(1, 10, 1_050);
        assertThat(leader.maybeShrinkIsr(1_001)).isTrue();
        assertThat(leader.pendingIsr()).contains(Set.of(0, 1));
        assertThat(leader.highWatermark()).isEqualTo(4);
        assertThat(leader.maximalIsr()).containsExactly(0, 1, 2);

        assertThat(leader.onIsrCommitted(Set.of(0, 1), 8, 1_100)).isTrue();
        assertThat(leader.highWatermark()).isEqualTo(10);
        assertThat(leader.isr()).containsExactly(0, 1);
    }

    @Test
    void aFollowerThatKeepsUpWithABusyLeaderStaysInSync() {
        // proves: Kafka's caught-up rule: reaching the leader's end as of the previous fetch counts
        LeaderReplicaState leader = leader(Set.of(0, 1), 1, 10, 0);
        long now = 0;
        long leaderEnd = 10;
        for (int i = 0; i < 30; i++) {
            now += 200;
            long followerEnd = leaderEnd;      // it got everything the leader had at its previous fetch
            leaderEnd += 5;                    // meanwhile the leader appended more
            leader.onLocalAppend(leaderEnd);
            leader.onFollowerFetch(1, followerEnd, now);
            assertThat(leader.maybeShrinkIsr(now)).isFalse();
        }
    }

    @Test
    void proposalsAreResentUntilAnswered() {
        // proves: one proposal at a time, resent after the retry backoff, none while waiting for metadata
        LeaderReplicaState leader = leader(Set.of(0, 1), 1, 10, 10);
        leader.onFollowerFetch(2, 10, 0);
        IsrChangeProposal sent = leader.isrChangeToSend(0).orElseThrow();
        assertThat(sent).isEqualTo(new IsrChangeProposal(0, 3, 7, Set.of(0, 1, 2)));
        assertThat(leader.isrChangeToSend(499)).isEmpty();
        assertThat(leader.isrChangeToSend(500)).contains(sent);
        leader.onIsrRejected(sent, Errors.REQUEST_TIMED_OUT);
        assertThat(leader.isrChangeToSend(1_000)).as("transient: resent").contains(sent);
        leader.onIsrRejected(sent, Errors.INVALID_UPDATE_VERSION);
        assertThat(leader.isrChangeToSend(5_000)).as("stale: wait for metadata").isEmpty();
    }

    @Test
    void aRefusalKeepsTheMaximalIsrUntilNewerMetadata() {
        // proves (simulation seed 3099): "not applied" speaks for one send only, so even INELIGIBLE_REPLICA
        // keeps counting the proposed member until newer metadata says what the controller committed
        LeaderReplicaState leader = leader(Set.of(0, 1), 1, 10, 10);
        leader.onFollowerFetch(2, 10, 0);
        IsrChangeProposal sent = leader.isrChangeToSend(0).orElseThrow();
        leader.onIsrRejected(sent, Errors.INELIGIBLE_REPLICA);
        leader.onLocalAppend(14);
        leader.onFollowerFetch(1, 14, 10);
        assertThat(leader.maximalIsr()).containsExactly(0, 1, 2);
        assertThat(leader.highWatermark()).as("still waits for follower 2").isEqualTo(10);

        leader.onPartitionChange(new PartitionState(0, 3, 8, REPLICAS, Set.of(0, 1)), 20);
        assertThat(leader.maximalIsr()).containsExactly(0, 1);
        assertThat(leader.highWatermark()).isEqualTo(14);
    }

    @Test
    void aLateRefusalOfAnEarlierProposalDoesNotTouchTheCurrentOne() {
        // proves (simulation seed 620): the answer to a retry of an applied proposal cannot park the next one
        LeaderReplicaState leader = leader(Set.of(0, 1), 1, 10, 10);
        leader.onFollowerFetch(2, 10, 0);
        IsrChangeProposal first = leader.isrChangeToSend(0).orElseThrow();
        leader.onIsrCommitted(Set.of(0, 1, 2), 8, 1);
        leader.onFollowerFetch(1, 10, 2);
        leader.onFollowerFetch(2, 10, 2);
        assertThat(leader.maybeShrinkIsr(1_500)).isTrue();
        IsrChangeProposal second = leader.isrChangeToSend(1_500).orElseThrow();

        leader.onIsrRejected(first, Errors.INVALID_UPDATE_VERSION);
        assertThat(leader.isrChangeToSend(2_000)).as("the current proposal is still resent").contains(second);
    }

    @Test
    void aFencedLeaderRefusesAcksAllAndKeepsItsIsr() {
        // proves: FENCED_LEADER_EPOCH from the controller fences the leader; nothing else changes
        LeaderReplicaState leader = leader(Set.of(0, 1, 2), 1, 10, 10);
        leader.onFollowerFetch(1, 10, 0);
        leader.onFollowerFetch(2, 10, 0);
        assertThat(leader.maybeShrinkIsr(5_000)).isTrue();
        IsrChangeProposal shrink = leader.isrChangeToSend(5_000).orElseThrow();
        leader.onIsrRejected(shrink, Errors.FENCED_LEADER_EPOCH);
        assertThat(leader.isFenced()).isTrue();
        assertThatThrownBy(leader::checkAcksAll).isInstanceOf(NotLeaderOrFollowerException.class);
        assertThat(leader.maximalIsr()).containsExactly(0, 1, 2);
    }

    @Test
    void staleAnswersAndMetadataAreIgnored() {
        // proves: commits and metadata not newer than the known partition epoch change nothing
        LeaderReplicaState leader = leader(Set.of(0, 1), 1, 10, 10);
        assertThat(leader.onIsrCommitted(Set.of(0), 7, 0)).isFalse();
        assertThat(leader.onPartitionChange(new PartitionState(0, 3, 6, REPLICAS, Set.of(0)), 0)).isFalse();
        assertThat(leader.isr()).containsExactly(0, 1);
        assertThatThrownBy(() -> leader.onPartitionChange(new PartitionState(1, 4, 9, REPLICAS, Set.of(1)), 0))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void followersAreChecked() {
        // proves: fetches from non-replicas and beyond the log end are refused at the boundary
        LeaderReplicaState leader = leader(Set.of(0, 1), 1, 10, 10);
        assertThatThrownBy(() -> leader.onFollowerFetch(7, 5, 0)).isInstanceOf(NotLeaderOrFollowerException.class);
        assertThatThrownBy(() -> leader.onFollowerFetch(1, 11, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(leader.followerLogEndOffset(1)).isEmpty();
        leader.onFollowerFetch(1, 10, 0);
        assertThat(leader.followerLogEndOffset(1)).hasValue(10);
        assertThat(leader.pendingIsr()).isEqualTo(Optional.empty());
    }
}
