package io.brook.replication;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * What a follower does with a fetch response ({@link FollowerState#onFetchResponse}). The first
 * four need log work by the log's owner, reported back with {@link FollowerState#onAppended} or
 * {@link FollowerState#onTruncated} (or {@link FollowerState#onLogWorkFailed}); no fetch is sent
 * meanwhile.
 */
public sealed interface FetchDecision {

    /** Append the batches unchanged ({@code PartitionLog.appendAsFollower}). */
    record AppendRecords(MemoryRecords records) implements FetchDecision {}

    /**
     * The log diverges from the leader's: truncate to
     * {@link FetchValidation#followerTruncationOffset}({@code divergingEpoch}, own lookup, own log end).
     */
    record TruncateDiverged(EpochEndOffset divergingEpoch) implements FetchDecision {}

    /** The log is ahead of the leader's (and has no epochs to compare): truncate to {@code offset}. */
    record TruncateTo(long offset) implements FetchDecision {}

    /** The log ends before the leader's log start: empty it and restart it at {@code offset}. */
    record TruncateFullyAndStartAt(long offset) implements FetchDecision {}

    /** No records now: the follower is caught up (its high watermark may have moved). */
    record NoRecords() implements FetchDecision {}

    /**
     * The leader refused the fetch (or the fetch failed): the next one goes at {@code untilMs}. With
     * FENCED_LEADER_EPOCH or NOT_LEADER_OR_FOLLOWER the follower's metadata is likely stale.
     */
    record Backoff(Errors error, long untilMs) implements FetchDecision {}

    /** A response to an older fetch (timed out, or from before a truncation): ignored. */
    record Stale() implements FetchDecision {}

    /** Whether the log's owner must now append or truncate. */
    default boolean needsLogWork() {
        return this instanceof AppendRecords || this instanceof TruncateDiverged || this instanceof TruncateTo
            || this instanceof TruncateFullyAndStartAt;
    }
}
