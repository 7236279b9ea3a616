package io.brook.storage.internals;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One validated request of a group commit, with the offsets it was given.
 *
 * @param requestIndex position of the request in the caller's list
 * @param records      the request's bytes (stamped in place)
 * @param firstOffset  offset of its first record
 * @param lastOffset   offset of its last record
 * @param recordCount  number of records
 */
public record PendingAppend(int requestIndex, MemoryRecords records, long firstOffset, long lastOffset,
                            int recordCount) {

    public int sizeInBytes() {
        return records.sizeInBytes();
    }

    /**
     * Gives a leader request its offsets from {@code firstOffset} on, stamping only header fields
     * of its batches: base offset, partition leader epoch and, under {@code LogAppendTime}, the
     * timestamp type and max timestamp (which rewrites the CRC).
     */
    public static PendingAppend stampForLeader(int requestIndex, RecordsValidator.ValidRequest request,
                                               long firstOffset, int leaderEpoch, TimestampType timestampType,
                                               long nowMs) {
        long nextOffset = firstOffset;
        for (MutableRecordBatch batch : request.batches()) {
            long lastOffsetDelta = batch.lastOffset() - batch.baseOffset();
            batch.setLastOffset(nextOffset + lastOffsetDelta);
            batch.setPartitionLeaderEpoch(leaderEpoch);
            if (timestampType == TimestampType.LOG_APPEND_TIME) {
                batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, nowMs);
            }
            nextOffset += lastOffsetDelta + 1;
        }
        return new PendingAppend(requestIndex, request.records(), firstOffset, nextOffset - 1, request.recordCount());
    }

    /** A follower request keeps the offsets the leader gave it. */
    public static PendingAppend asReplicated(RecordsValidator.ValidRequest request) {
        List<MutableRecordBatch> batches = request.batches();
        return new PendingAppend(0, request.records(), batches.get(0).baseOffset(),
            batches.get(batches.size() - 1).lastOffset(), request.recordCount());
    }

    /** The requests' bytes back to back, for one write (no copy for a single request). */
    public static MemoryRecords concatenate(List<PendingAppend> appends) {
        if (appends.size() == 1) {
            return appends.get(0).records();
        }
        int totalBytes = 0;
        for (PendingAppend append : appends) {
            totalBytes += append.sizeInBytes();
        }
        ByteBuffer buffer = ByteBuffer.allocate(totalBytes);
        for (PendingAppend append : appends) {
            buffer.put(append.records().buffer());
        }
        buffer.flip();
        return MemoryRecords.readableRecords(buffer);
    }
}
