package io.brook.storage.internals;

import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where one v2 record batch sits in a segment file and which offsets it holds, read from the first
 * {@value #PREFIX_BYTES} bytes of its header with a single positional read. Reads and offset
 * lookups scan these instead of loading whole batches.
 *
 * <p>v2 header prefix: baseOffset int64 @0, batchLength int32 @8, partitionLeaderEpoch int32 @12,
 * magic int8 @16, crc @17, attributes @21, lastOffsetDelta int32 @23.
 */
public record BatchHeader(long baseOffset, long lastOffset, int position, int sizeInBytes) {

    static final int PREFIX_BYTES = DefaultRecordBatch.LAST_OFFSET_DELTA_OFFSET + 4;

    /** Position just after this batch. */
    public int endPosition() {
        return position + sizeInBytes;
    }

    /** A reusable buffer for {@link #read}. */
    public static ByteBuffer newScratch() {
        return ByteBuffer.allocate(PREFIX_BYTES);
    }

    /**
     * The header of the batch at {@code position}, or null when no whole batch lies between
     * {@code position} and {@code endPosition}.
     *
     * @throws CorruptRecordException when the bytes there are not a plausible v2 batch header
     */
    public static BatchHeader read(FileChannel channel, int position, int endPosition, ByteBuffer scratch)
        throws IOException {
        if (endPosition - position < DefaultRecordBatch.RECORD_BATCH_OVERHEAD) {
            return null;
        }
        scratch.clear();
        while (scratch.hasRemaining()) {
            if (channel.read(scratch, position + scratch.position()) < 0) {
                return null;
            }
        }
        int length = scratch.getInt(Records.SIZE_OFFSET);
        byte magic = scratch.get(Records.MAGIC_OFFSET);
        int lastOffsetDelta = scratch.getInt(DefaultRecordBatch.LAST_OFFSET_DELTA_OFFSET);
        if (magic != RecordBatch.MAGIC_VALUE_V2 || length < DefaultRecordBatch.RECORD_BATCH_OVERHEAD - Records.LOG_OVERHEAD
            || lastOffsetDelta < 0) {
            throw new CorruptRecordException("No valid v2 batch header at position " + position + " (magic " + magic
                + ", length " + length + ", lastOffsetDelta " + lastOffsetDelta + ")");
        }
        long sizeInBytes = (long) Records.LOG_OVERHEAD + length;
        if (sizeInBytes > endPosition - position) {
            return null;
        }
        long baseOffset = scratch.getLong(Records.OFFSET_OFFSET);
        return new BatchHeader(baseOffset, baseOffset + lastOffsetDelta, position, (int) sizeInBytes);
    }
}
