package io.brook.replication;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FollowerStateTest {

    private static final ReplicationConfig CONFIG = ReplicationConfig.fromMap(Map.of(
        ReplicationConfig.REPLICA_FETCH_BACKOFF_MS_CONFIG, 100L,
        ReplicationConfig.REPLICA_SOCKET_TIMEOUT_MS_CONFIG, 1_000L,
        ReplicationConfig.REPLICA_FETCH_IDLE_BACKOFF_MS_CONFIG, 20L));

    /** Broker 2 follows broker 0 in epoch 4; its log ends at 10 with a batch of epoch 3; HW 6. */
    private static FollowerState follower() {
        return new FollowerState(2, 0, 4, 10, 3, 6, CONFIG);
    }

    private static FollowerFetchResult records(long highWatermark, MemoryRecords records) {
        return FollowerFetchResult.records(highWatermark, 0, 100, records);
    }

    @Test
    void fetchesFromItsLogEndWithItsLastEpochAndAppends() {
        // proves: the request names the log end and last epoch; records are appended; the HW is
        // min(leader's HW, own log end)
        FollowerState follower = follower();
        FollowerState.FetchAttempt attempt = follower.maybeFetch(0).orElseThrow();
        assertThat(attempt.request()).isEqualTo(new FollowerFetch(2, 4, 10, 3));
        assertThat(follower.maybeFetch(1)).as("one fetch in flight").isEmpty();

        MemoryRecords batch = Batches.replicated(10, 4, 5);
        FetchDecision decision = follower.onFetchResponse(attempt.id(), records(40, batch), 2);
        assertThat(decision).isEqualTo(new FetchDecision.AppendRecords(batch));
        assertThat(decision.needsLogWork()).isTrue();
        assertThat(follower.maybeFetch(3)).as("no fetch while appending").isEmpty();
        follower.onAppended(15, 4, 3);
        assertThat(follower.highWatermark()).isEqualTo(15);
        assertThat(follower.maybeFetch(3).orElseThrow().request()).isEqualTo(new FollowerFetch(2, 4, 15, 4));
    }

    @Test
    void anEmptyResponseMovesTheHighWatermarkAndPausesBriefly() {
        // proves: no records: HW = min(leader's, log end), next fetch after replica.fetch.idle.backoff.ms
        FollowerState follower = follower();
        FollowerState.FetchAttempt attempt = follower.maybeFetch(0).orElseThrow();
        assertThat(follower.onFetchResponse(attempt.id(), records(8, MemoryRecords.EMPTY), 5))
            .isEqualTo(new FetchDecision.NoRecords());
        assertThat(follower.highWatermark()).isEqualTo(8);
        assertThat(follower.maybeFetch(24)).isEmpty();
        assertThat(follower.maybeFetch(25)).isPresent();
    }

    @Test
    void responsesToOtherFetchesAreIgnored() {
        // proves: a response to a timed-out fetch cannot be applied after the fetch was sent again
        FollowerState follower = follower();
        FollowerState.FetchAttempt first = follower.maybeFetch(0).orElseThrow();
        assertThat(follower.maybeFetch(999)).isEmpty();
        FollowerState.FetchAttempt second = follower.maybeFetch(1_000).orElseThrow();
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(follower.onFetchResponse(first.id(), records(40, Batches.replicated(10, 4, 1)), 1_001))
            .isEqualTo(new FetchDecision.Stale());
        assertThat(follower.phase()).isEqualTo(FollowerState.Phase.FETCHING);
    }

    @Test
    void aDivergingEpochAsksForTruncationThenFetchesAgain() {
        // proves: the decision carries the leader's answer; after truncation the next fetch starts there
        FollowerState follower = follower();
        FollowerState.FetchAttempt attempt = follower.maybeFetch(0).orElseThrow();
        EpochEndOffset diverging = new EpochEndOffset(2, 8);
        assertThat(follower.onFetchResponse(attempt.id(), FollowerFetchResult.diverging(6, 0, 30, diverging), 1))
            .isEqualTo(new FetchDecision.TruncateDiverged(diverging));
        follower.onTruncated(8, 2, 2);
        assertThat(follower.maybeFetch(2).orElseThrow().request()).isEqualTo(new FollowerFetch(2, 4, 8, 2));
        assertThat(follower.highWatermark()).isEqualTo(6);
    }

    @Test
    void errorsBackOff() {
        // proves: fenced, unknown epoch and not-leader responses wait replica.fetch.backoff.ms
        for (Errors error : new Errors[] {Errors.FENCED_LEADER_EPOCH, Errors.UNKNOWN_LEADER_EPOCH,
            Errors.NOT_LEADER_OR_FOLLOWER}) {
            FollowerState follower = follower();
            FollowerState.FetchAttempt attempt = follower.maybeFetch(0).orElseThrow();
            assertThat(follower.onFetchResponse(attempt.id(), FollowerFetchResult.error(error), 10))
                .isEqualTo(new FetchDecision.Backoff(error, 110));
            assertThat(follower.maybeFetch(109)).isEmpty();
            assertThat(follower.maybeFetch(110)).isPresent();
        }
    }

    @Test
    void outOfRangeRestartsBelowTheLeadersStartAndTruncatesAboveItsEnd() {
        // proves: behind the leader's log start: start over there; ahead of its end: cut back to it
        FollowerState behind = follower();
        FollowerState.FetchAttempt attempt = behind.maybeFetch(0).orElseThrow();
        assertThat(behind.onFetchResponse(attempt.id(), FollowerFetchResult.error(Errors.OFFSET_OUT_OF_RANGE, 50, 90), 1))
            .isEqualTo(new FetchDecision.TruncateFullyAndStartAt(50));
        behind.onTruncated(50, -1, 2);
        assertThat(behind.highWatermark()).isEqualTo(50);

        FollowerState ahead = follower();
        attempt = ahead.maybeFetch(0).orElseThrow();
        assertThat(ahead.onFetchResponse(attempt.id(), FollowerFetchResult.error(Errors.OFFSET_OUT_OF_RANGE, 0, 7), 1))
            .isEqualTo(new FetchDecision.TruncateTo(7));
    }

    @Test
    void recordsThatDoNotContinueTheLogAreRefused() {
        // proves: a batch starting anywhere but the log end is never handed to the log
        FollowerState follower = follower();
        FollowerState.FetchAttempt attempt = follower.maybeFetch(0).orElseThrow();
        assertThat(follower.onFetchResponse(attempt.id(), records(40, Batches.replicated(12, 4, 1)), 1))
            .isEqualTo(new FetchDecision.Backoff(Errors.CORRUPT_MESSAGE, 101));
    }

    @Test
    void failedLogWorkAndTransportErrorsBackOff() {
        // proves: a failed append leaves the state as it was and retries after the backoff
        FollowerState follower = follower();
        FollowerState.FetchAttempt attempt = follower.maybeFetch(0).orElseThrow();
        follower.onFetchResponse(attempt.id(), records(40, Batches.replicated(10, 4, 1)), 1);
        follower.onLogWorkFailed(2);
        assertThat(follower.fetchOffset()).isEqualTo(10);
        assertThat(follower.nextWakeupMs()).isEqualTo(102);
        attempt = follower.maybeFetch(102).orElseThrow();
        follower.onFetchFailed(attempt.id(), 103);
        assertThat(follower.phase()).isEqualTo(FollowerState.Phase.BACKING_OFF);
        assertThatThrownBy(() -> follower.onAppended(11, 4, 104)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFirstBatchHoldingTheLogEndIsTakenOnlyWhenTheLeadersLogStartIsPastIt() {
        // proves: after a DeleteRecords put the leader's log start inside a batch (this log restarted there),
        // that batch is appended whole; the same batch with the leader's start below the log end is refused
        FollowerState follower = new FollowerState(2, 0, 4, 12, -1, 12, CONFIG);
        FollowerState.FetchAttempt attempt = follower.maybeFetch(0).orElseThrow();
        MemoryRecords straddling = Batches.replicated(10, 4, 5); // offsets 10..14, the log ends at 12
        FetchDecision taken = follower.onFetchResponse(attempt.id(),
            FollowerFetchResult.records(15, 12, 15, straddling), 1);
        assertThat(taken).isEqualTo(new FetchDecision.AppendRecords(straddling));
        follower.onAppended(15, 4, 2);
        assertThat(follower.fetchOffset()).isEqualTo(15);

        FollowerState other = new FollowerState(2, 0, 4, 12, -1, 12, CONFIG);
        FollowerState.FetchAttempt second = other.maybeFetch(0).orElseThrow();
        FetchDecision refused = other.onFetchResponse(second.id(), FollowerFetchResult.records(15, 0, 15, straddling), 1);
        assertThat(refused).isInstanceOf(FetchDecision.Backoff.class);
        assertThat(((FetchDecision.Backoff) refused).error()).isEqualTo(Errors.CORRUPT_MESSAGE);
    }
}
