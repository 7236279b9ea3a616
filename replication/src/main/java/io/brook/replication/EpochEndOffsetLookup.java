package io.brook.replication;

import io.brook.storage.PartitionLog;

import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Kafka's leader epoch lookup over one log: for a requested epoch, the largest epoch {@code <=} it
 * that the log knows (the "floor" epoch) and that epoch's end offset (see {@link EpochEndOffset}).
 *
 * <p>The floor epoch matters: a follower whose last fetched epoch is 3 must learn that the leader
 * has no epoch 3 (only 2, then 5) even when the leader's "end of epoch 3" lies beyond the
 * follower's log end, or the follower keeps records of epoch 3 that the leader has as epoch 2.
 *
 * <p>{@link PartitionLog#endOffsetForEpoch} only returns the end offset (empty below the first and
 * above the latest epoch), so {@link #forLog} derives the floor epoch from it by a binary search:
 * the end offset is the same for every epoch from the floor up to the requested one and smaller
 * below. Semantics, matching Kafka's {@code LeaderEpochFileCache.endOffsetFor}:
 * <ul>
 *   <li>requested epoch {@code < 0}, or no epochs at all: {@code (UNDEFINED_EPOCH, logEndOffset)}
 *       when the log has no epochs (an empty log), {@link EpochEndOffset#UNDEFINED} for a negative request;</li>
 *   <li>requested epoch {@code >=} the latest: {@code (latest, logEndOffset)};</li>
 *   <li>requested epoch below the first: {@code (requested, logStartOffset)} (older history was removed);</li>
 *   <li>otherwise {@code (floor epoch, start of the next epoch)}.</li>
 * </ul>
 *
 * <p>Thread ownership: called on the thread that owns the log, like the log itself.
 */
@FunctionalInterface
public interface EpochEndOffsetLookup {

    EpochEndOffset endOffsetFor(int requestedEpoch);

    /** The lookup over a {@link PartitionLog}; call it only where the log may be called. */
    static EpochEndOffsetLookup forLog(PartitionLog log) {
        return of(log::endOffsetForEpoch, log::latestEpoch, log::logStartOffset, log::logEndOffset);
    }

    /**
     * The lookup over any log with {@link PartitionLog}'s epoch semantics, given as functions (the
     * simulation's in-memory log uses this).
     */
    static EpochEndOffsetLookup of(IntFunction<OptionalLong> endOffsetForEpoch, Supplier<OptionalInt> latestEpoch,
                                   LongSupplier logStartOffset, LongSupplier logEndOffset) {
        return requested -> {
            if (requested < 0) {
                return EpochEndOffset.UNDEFINED;
            }
            OptionalInt latest = latestEpoch.get();
            if (latest.isEmpty()) {
                return new EpochEndOffset(EpochEndOffset.UNDEFINED_EPOCH, logEndOffset.getAsLong());
            }
            if (requested >= latest.getAsInt()) {
                return new EpochEndOffset(latest.getAsInt(), logEndOffset.getAsLong());
            }
            OptionalLong end = endOffsetForEpoch.apply(requested);
            if (end.isEmpty()) {
                // below the first known epoch: its records are gone, the log starts at the log start offset
                return new EpochEndOffset(requested, logStartOffset.getAsLong());
            }
            return new EpochEndOffset(floorEpoch(endOffsetForEpoch, requested, end.getAsLong()), end.getAsLong());
        };
    }

    /**
     * The smallest epoch e <= requested whose end offset equals {@code end}: end offsets do not
     * decrease with the epoch and strictly increase between known epochs, so that is the floor.
     */
    private static int floorEpoch(IntFunction<OptionalLong> endOffsetForEpoch, int requested, long end) {
        int low = 0;
        int high = requested;
        while (low < high) {
            int mid = low + (high - low) / 2;
            OptionalLong midEnd = endOffsetForEpoch.apply(mid);
            if (midEnd.isPresent() && midEnd.getAsLong() == end) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }
}
