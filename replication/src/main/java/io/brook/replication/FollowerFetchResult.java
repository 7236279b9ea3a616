package io.brook.replication;

import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.util.Objects;
import java.util.Optional;

/**
 * The leader's answer to a {@link FollowerFetch}: either records (possibly none) from the
 * fetch offset with the leader's high watermark, or a diverging epoch (the follower must truncate
 * first), or an error. The offsets are the leader's at the time of the answer; a follower needs
 * them after OFFSET_OUT_OF_RANGE.
 *
 * @param error          {@link Errors#NONE} unless refused
 * @param highWatermark  the leader's high watermark, -1 with an error
 * @param logStartOffset the leader's log start offset, -1 when unknown
 * @param logEndOffset   the leader's log end offset, -1 when unknown
 * @param divergingEpoch present when the follower's log diverges; then there are no records
 * @param records        whole batches starting at the fetch offset, as the leader wrote them
 */
public record FollowerFetchResult(Errors error, long highWatermark, long logStartOffset, long logEndOffset,
                                   Optional<EpochEndOffset> divergingEpoch, MemoryRecords records) {

    public FollowerFetchResult {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(divergingEpoch, "divergingEpoch");
        Objects.requireNonNull(records, "records");
        if (divergingEpoch.isPresent() && records.sizeInBytes() > 0) {
            throw new IllegalArgumentException("A diverging fetch response carries no records");
        }
    }

    public static FollowerFetchResult records(long highWatermark, long logStartOffset, long logEndOffset,
                                               MemoryRecords records) {
        return new FollowerFetchResult(Errors.NONE, highWatermark, logStartOffset, logEndOffset, Optional.empty(),
            records);
    }

    public static FollowerFetchResult diverging(long highWatermark, long logStartOffset, long logEndOffset,
                                                 EpochEndOffset divergingEpoch) {
        return new FollowerFetchResult(Errors.NONE, highWatermark, logStartOffset, logEndOffset,
            Optional.of(divergingEpoch), MemoryRecords.EMPTY);
    }

    public static FollowerFetchResult error(Errors error, long logStartOffset, long logEndOffset) {
        if (error == Errors.NONE) {
            throw new IllegalArgumentException("An error response needs an error");
        }
        return new FollowerFetchResult(error, -1L, logStartOffset, logEndOffset, Optional.empty(), MemoryRecords.EMPTY);
    }

    public static FollowerFetchResult error(Errors error) {
        return error(error, -1L, -1L);
    }
}
