package io.brook.storage;

import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The answer to a {@link PartitionLog#read}: whole v2 record batches as a slice of one segment
 * file (its channel, a position and a length), which a transport can {@code transferTo} a socket
 * without copying through the heap.
 *
 * <p>The slice stays readable after the log moves on: segments removed by retention or truncation
 * keep their file open for {@code file.delete.delay.ms}. The one exception is
 * {@link PartitionLog#truncateTo} cutting the segment that holds the slice, which shortens the file
 * in place (as in Kafka, sending such a slice then fails). Copy it with {@link #readFully()} when a
 * heap buffer is needed.
 *
 * @param records        the batches; empty (size 0) when nothing is readable at the offset
 * @param logStartOffset the log start offset when the read happened
 * @param logEndOffset   the log end offset when the read happened
 */
public record ReadResult(FileRecords records, long logStartOffset, long logEndOffset) {

    /** Size of the slice in bytes. */
    public int sizeInBytes() {
        return records.sizeInBytes();
    }

    /** Copies the slice into a new heap buffer (position 0, limit = size). */
    public ByteBuffer readFully() {
        ByteBuffer buffer = ByteBuffer.allocate(records.sizeInBytes());
        try {
            records.readInto(buffer, 0);
        } catch (IOException e) {
            throw new KafkaStorageException("Failed to read " + records, e);
        }
        return buffer;
    }

    /** Copies the slice into heap memory as {@link MemoryRecords}. */
    public MemoryRecords toMemoryRecords() {
        return MemoryRecords.readableRecords(readFully());
    }
}
