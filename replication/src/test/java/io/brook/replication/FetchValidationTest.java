package io.brook.replication;

import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FetchValidationTest {

    /** A lookup over a log whose epochs start at the given offsets (PartitionLog's semantics). */
    private static EpochEndOffsetLookup log(long logEndOffset, long... epochAndStart) {
        TreeMap<Integer, Long> starts = new TreeMap<>();
        for (int i = 0; i < epochAndStart.length; i += 2) {
            starts.put((int) epochAndStart[i], epochAndStart[i + 1]);
        }
        return EpochEndOffsetLookup.of(epoch -> {
            if (starts.isEmpty() || epoch < starts.firstKey() || epoch > starts.lastKey()) {
                return OptionalLong.empty();
            }
            Map.Entry<Integer, Long> next = starts.higherEntry(epoch);
            return OptionalLong.of(next == null ? logEndOffset : next.getValue());
        }, () -> starts.isEmpty() ? OptionalInt.empty() : OptionalInt.of(starts.lastKey()), () -> 0L, () -> logEndOffset);
    }

    @Test
    void olderEpochsAreFencedNewerOnesUnknown() {
        // proves: the epoch rules and their exceptions; -1 (a consumer) is not checked
        assertThat(FetchValidation.leaderEpochError(4, 5)).isEqualTo(Errors.FENCED_LEADER_EPOCH);
        assertThat(FetchValidation.leaderEpochError(6, 5)).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH);
        assertThat(FetchValidation.leaderEpochError(5, 5)).isEqualTo(Errors.NONE);
        assertThat(FetchValidation.leaderEpochError(-1, 5)).isEqualTo(Errors.NONE);
        assertThatThrownBy(() -> FetchValidation.throwIfLeaderEpochInvalid(4, 5)).isInstanceOf(FencedLeaderEpochException.class);
        assertThatThrownBy(() -> FetchValidation.throwIfLeaderEpochInvalid(6, 5)).isInstanceOf(UnknownLeaderEpochException.class);
        assertThatCode(() -> FetchValidation.throwIfLeaderEpochInvalid(5, 5)).doesNotThrowAnyException();
    }

    @Test
    void aFollowerContinuingTheLeadersLogDoesNotDiverge() {
        // proves: same last epoch, fetch offset within it: no divergence; an empty follower is never checked
        EpochEndOffsetLookup leader = log(90, 1, 0, 2, 50, 5, 80);
        assertThat(FetchValidation.divergence(2, 80, leader)).isEmpty();
        assertThat(FetchValidation.divergence(2, 60, leader)).isEmpty();
        assertThat(FetchValidation.divergence(5, 90, leader)).isEmpty();
        assertThat(FetchValidation.divergence(-1, 0, leader)).isEmpty();
    }

    @Test
    void aFollowerPastTheEndOfItsEpochDiverges() {
        // proves: the follower has epoch 2 records beyond where epoch 2 ends at the leader
        EpochEndOffsetLookup leader = log(90, 1, 0, 2, 50, 5, 80);
        assertThat(FetchValidation.divergence(2, 85, leader)).contains(new EpochEndOffset(2, 80));
        assertThat(FetchValidation.divergence(5, 95, leader)).contains(new EpochEndOffset(5, 90));
    }

    @Test
    void anEpochTheLeaderNeverHadDivergesEvenWhenItsEndLooksFarEnough() {
        // proves: the floor-epoch case: the follower wrote epoch 3 at [50, 60) while the leader has epoch 2
        // there; "end of epoch 3" at the leader is 80 >= 60, only the floor epoch (2 < 3) reveals the divergence
        EpochEndOffsetLookup leader = log(90, 1, 0, 2, 50, 5, 80);
        assertThat(FetchValidation.divergence(3, 60, leader)).contains(new EpochEndOffset(2, 80));
    }

    @Test
    void theFollowerTruncatesToTheSmallerEndOfTheCommonEpoch() {
        // proves: Kafka's truncation rules, for each case
        EpochEndOffsetLookup follower = log(60, 1, 0, 3, 50);
        // the follower has the leader's epoch 1, ending at 50 on both sides
        assertThat(FetchValidation.followerTruncationOffset(new EpochEndOffset(1, 55), follower, 60)).isEqualTo(50);
        // the leader's floor is 2, which the follower lacks: cut to the end of its own floor (1), ask again
        assertThat(FetchValidation.followerTruncationOffset(new EpochEndOffset(2, 80), follower, 60)).isEqualTo(50);
        // the same epoch, ending earlier at the leader
        assertThat(FetchValidation.followerTruncationOffset(new EpochEndOffset(3, 55), follower, 60)).isEqualTo(55);
        // the leader knows no epoch (its log is empty at 20)
        assertThat(FetchValidation.followerTruncationOffset(new EpochEndOffset(-1, 20), follower, 60)).isEqualTo(20);
    }

    @Test
    void aDivergenceThatWouldNotShortenTheLogIsABug() {
        // proves: instead of fetching forever at the same offset, the inconsistency is reported
        EpochEndOffsetLookup follower = log(60, 1, 0, 3, 50);
        assertThatThrownBy(() -> FetchValidation.followerTruncationOffset(new EpochEndOffset(3, 70), follower, 60))
            .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theLeaderChecksEpochThenDivergenceThenRange() {
        // proves: the order of the leader's checks, and that only an accepted fetch names an offset to count
        EpochEndOffsetLookup leader = log(90, 1, 0, 2, 50, 5, 80);
        assertThat(FetchValidation.validateFollowerFetch(new FollowerFetch(2, 4, 95, 5), 5, 0, 90, leader))
            .isEqualTo(new FetchValidation.Outcome.Refuse(Errors.FENCED_LEADER_EPOCH));
        assertThat(FetchValidation.validateFollowerFetch(new FollowerFetch(2, 5, 95, 5), 5, 0, 90, leader))
            .isEqualTo(new FetchValidation.Outcome.Diverging(new EpochEndOffset(5, 90)));
        assertThat(FetchValidation.validateFollowerFetch(new FollowerFetch(2, 5, 95, -1), 5, 0, 90, leader))
            .isEqualTo(new FetchValidation.Outcome.Refuse(Errors.OFFSET_OUT_OF_RANGE));
        assertThat(FetchValidation.validateFollowerFetch(new FollowerFetch(2, 5, 85, 5), 5, 0, 90, leader))
            .isEqualTo(new FetchValidation.Outcome.Accept(85));
    }
}
