package io.brook.replication;

import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.protocol.Errors;

import java.util.Optional;

/**
 * The checks both ends of replication make on a follower fetch, as pure functions:
 * <ul>
 *   <li>leader epoch fencing: a request with an older epoch than the replica's is refused with
 *       FENCED_LEADER_EPOCH (the sender is stale), a newer one with UNKNOWN_LEADER_EPOCH (this
 *       replica has not heard of it yet; the sender retries);</li>
 *   <li>divergence (Kafka's KIP-320): the follower's log ends at {@code fetchOffset} with a batch of
 *       {@code lastFetchedEpoch}. If the leader's log has no such epoch, or that epoch ends before
 *       {@code fetchOffset} in the leader's log, the follower's tail is not the leader's: the leader
 *       answers with the end of the largest epoch it has at or below {@code lastFetchedEpoch}, and the
 *       follower truncates ({@link #followerTruncationOffset}) and fetches again.</li>
 * </ul>
 * Only a fetch that passes both may count as the follower's log end offset in
 * {@link LeaderReplicaState#onFollowerFetch}: a diverged follower's offset says nothing about
 * which records it has.
 *
 * <p>Stateless; call the lookups on the thread that owns the log.
 */
public final class FetchValidation {

    /** The leader's verdict on a follower fetch. */
    public sealed interface Outcome {
        /** Read from {@code fetchOffset} and count it as the follower's log end offset. */
        record Accept(long fetchOffset) implements Outcome {}

        /** Answer with {@code divergingEpoch} and no records; do not count the fetch offset. */
        record Diverging(EpochEndOffset divergingEpoch) implements Outcome {}

        /** Answer with {@code error} (and the leader's log start and end offsets). */
        record Refuse(Errors error) implements Outcome {}
    }

    private FetchValidation() {
    }

    /** NONE, FENCED_LEADER_EPOCH or UNKNOWN_LEADER_EPOCH; a request epoch of -1 is not checked (a consumer). */
    public static Errors leaderEpochError(int requestEpoch, int currentEpoch) {
        if (requestEpoch == EpochEndOffset.UNDEFINED_EPOCH || requestEpoch == currentEpoch) {
            return Errors.NONE;
        }
        return requestEpoch < currentEpoch ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
    }

    /** As {@link #leaderEpochError}, throwing the matching Kafka exception for the broker's error translator. */
    public static void throwIfLeaderEpochInvalid(int requestEpoch, int currentEpoch) {
        switch (leaderEpochError(requestEpoch, currentEpoch)) {
            case FENCED_LEADER_EPOCH -> throw new FencedLeaderEpochException("Leader epoch " + requestEpoch
                + " is older than the current " + currentEpoch);
            case UNKNOWN_LEADER_EPOCH -> throw new UnknownLeaderEpochException("Leader epoch " + requestEpoch
                + " is newer than the current " + currentEpoch);
            default -> {
            }
        }
    }

    /**
     * The leader's divergence check: present (the leader's end of the floor epoch) when the
     * follower's log diverges from the leader's, empty when it continues it or carries no epoch.
     */
    public static Optional<EpochEndOffset> divergence(int lastFetchedEpoch, long fetchOffset,
                                                      EpochEndOffsetLookup leaderLog) {
        if (lastFetchedEpoch < 0) {
            return Optional.empty();
        }
        EpochEndOffset leaderEnd = leaderLog.endOffsetFor(lastFetchedEpoch);
        boolean endsEarlier = leaderEnd.endOffset() < fetchOffset;
        boolean lacksEpoch = leaderEnd.hasEpoch() && leaderEnd.epoch() < lastFetchedEpoch;
        return endsEarlier || lacksEpoch ? Optional.of(leaderEnd) : Optional.empty();
    }

    /**
     * The leader's full check of a follower fetch, in Kafka's order: epoch, divergence, offset range.
     *
     * @param leaderEpoch    the leader's current epoch
     * @param logStartOffset the leader's log start offset
     * @param logEndOffset   the leader's log end offset
     */
    public static Outcome validateFollowerFetch(FollowerFetch request, int leaderEpoch, long logStartOffset,
                                                long logEndOffset, EpochEndOffsetLookup leaderLog) {
        Errors epochError = leaderEpochError(request.currentLeaderEpoch(), leaderEpoch);
        if (epochError != Errors.NONE) {
            return new Outcome.Refuse(epochError);
        }
        Optional<EpochEndOffset> diverging = divergence(request.lastFetchedEpoch(), request.fetchOffset(), leaderLog);
        if (diverging.isPresent()) {
            return new Outcome.Diverging(diverging.get());
        }
        if (request.fetchOffset() < logStartOffset || request.fetchOffset() > logEndOffset) {
            return new Outcome.Refuse(Errors.OFFSET_OUT_OF_RANGE);
        }
        return new Outcome.Accept(request.fetchOffset());
    }

    /**
     * Where a follower truncates on a diverging epoch (Kafka's {@code getOffsetTruncationState}):
     * if it has the leader's epoch, to the smaller of both ends of it; if it only has an older one,
     * to the end of that (and the next fetch asks again with that epoch); if it knows no epochs, to
     * the leader's end. Never beyond its own log end.
     *
     * @throws IllegalStateException if that would not shorten the log: the next fetch would diverge
     *                               again at the same place, so the epoch caches disagree (a bug)
     */
    public static long followerTruncationOffset(EpochEndOffset diverging, EpochEndOffsetLookup followerLog,
                                                long followerLogEndOffset) {
        long offset;
        if (!diverging.hasEpoch()) {
            offset = diverging.endOffset();
        } else {
            EpochEndOffset own = followerLog.endOffsetFor(diverging.epoch());
            if (!own.hasEpoch()) {
                offset = diverging.endOffset();
            } else if (own.epoch() != diverging.epoch()) {
                offset = own.endOffset();
            } else {
                offset = Math.min(own.endOffset(), diverging.endOffset());
            }
        }
        offset = Math.min(Math.max(offset, 0L), followerLogEndOffset);
        if (offset >= followerLogEndOffset) {
            throw new IllegalStateException("Diverging epoch " + diverging + " does not shorten the log ending at "
                + followerLogEndOffset + ": leader and follower epoch caches disagree");
        }
        return offset;
    }
}
