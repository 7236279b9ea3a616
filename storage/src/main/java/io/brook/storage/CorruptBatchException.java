package io.brook.storage;

import org.apache.kafka.common.errors.CorruptRecordException;

/**
 * A read reached offsets whose bytes on disk are corrupt. Kafka's {@code CORRUPT_MESSAGE} on the
 * wire (it is a {@link CorruptRecordException}, so {@code Errors.forException} maps it); the
 * message names the log directory (the partition) and the offset range. Other offsets of the log
 * stay readable, and the log keeps every segment.
 */
public final class CorruptBatchException extends CorruptRecordException {

    private final transient CorruptRange range;

    public CorruptBatchException(String message, CorruptRange range) {
        super(message);
        this.range = range;
    }

    /** The corrupt offsets and their size; what {@link PartitionLog#repair} needs. */
    public CorruptRange range() {
        return range;
    }
}
