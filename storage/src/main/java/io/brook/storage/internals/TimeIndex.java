package io.brook.storage.internals;

import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The sparse time index of one segment ({@code <baseOffset>.timeindex}), in Kafka's format.
 *
 * <p>Format: 12-byte big-endian entries {@code (long timestampMs, int relativeOffset)}. An entry
 * {@code (T, O)} says that the largest timestamp of any record at or before offset
 * {@code baseOffset + O} is {@code T}: a record with a timestamp greater than {@code T} can only
 * be found after that offset. Entries are added together with offset index entries, and a last
 * one on roll/close records the segment's largest timestamp (which retention reads after a
 * restart).
 *
 * <p>Invariants: timestamps strictly increase and offsets never decrease. The last slot is kept
 * free for the entry written on roll, so {@link #isFull()} reports full one entry early.
 *
 * <p>Not thread-safe: owned by the partition log's owner thread.
 */
public final class TimeIndex extends AbstractIndex {

    public static final int ENTRY_BYTES = 12;

    public TimeIndex(Path file, long baseOffset, int maxIndexBytes) throws IOException {
        super(file, baseOffset, maxIndexBytes);
    }

    @Override
    protected int entrySize() {
        return ENTRY_BYTES;
    }

    /** Keeps the last slot for the final entry written when the segment becomes inactive. */
    @Override
    public boolean isFull() {
        return entries() >= maxEntries() - 1;
    }

    public TimestampOffset entry(int n) {
        ByteBuffer buffer = buffer();
        return new TimestampOffset(buffer.getLong(n * ENTRY_BYTES), baseOffset + buffer.getInt(n * ENTRY_BYTES + 8));
    }

    private long timestampAt(int n) {
        return buffer().getLong(n * ENTRY_BYTES);
    }

    private long offsetAt(int n) {
        return baseOffset + buffer().getInt(n * ENTRY_BYTES + 8);
    }

    /** The last entry, or {@code (NO_TIMESTAMP, baseOffset)} when empty. */
    public TimestampOffset lastEntry() {
        return entries() == 0 ? new TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset) : entry(entries() - 1);
    }

    /**
     * The entry with the largest timestamp strictly below {@code targetTimestampMs}, or
     * {@code (NO_TIMESTAMP, baseOffset)}: every record with a timestamp {@code >= target} lies
     * after the returned offset. (Strict, because records just before an entry with timestamp
     * equal to the target may carry the target timestamp too.)
     */
    public TimestampOffset lookupBefore(long targetTimestampMs) {
        int slot = largestLowerBound(targetTimestampMs, true, this::timestampAt);
        return slot < 0 ? new TimestampOffset(RecordBatch.NO_TIMESTAMP, baseOffset) : entry(slot);
    }

    /**
     * Adds {@code (timestampMs, offset)} when the timestamp is larger than the last entry's.
     * {@code skipFullCheck} lets the final entry of a segment use the reserved last slot.
     */
    public void maybeAppend(long timestampMs, long offset, boolean skipFullCheck) {
        if (!skipFullCheck && isFull()) {
            throw new IllegalStateException("Attempt to append to a full time index " + file());
        }
        if (entries() >= maxEntries()) {
            return;
        }
        TimestampOffset last = lastEntry();
        if (entries() > 0 && offset < last.offset()) {
            throw new IllegalArgumentException("Time index entry (" + timestampMs + ", " + offset
                + ") goes back from the last entry " + last + " in " + file());
        }
        if (entries() == 0 || timestampMs > last.timestampMs()) {
            int relativeOffset = relativeOffset(offset);
            appendEntry(offset, buffer -> buffer.putLong(timestampMs).putInt(relativeOffset));
        }
    }

    /** Removes every entry whose offset is {@code >= offset}. */
    public void truncateTo(long offset) {
        truncateToEntries(largestLowerBound(offset, true, this::offsetAt) + 1);
    }

    @Override
    public void sanityCheck(long logSizeBytes) {
        if (lengthBytes() % ENTRY_BYTES != 0) {
            throw new CorruptIndexException("Time index " + file() + " is " + lengthBytes()
                + " bytes, not a multiple of " + ENTRY_BYTES);
        }
        TimestampOffset previous = null;
        for (int n = 0; n < entries(); n++) {
            TimestampOffset current = entry(n);
            boolean increasing = previous == null
                ? current.offset() >= baseOffset
                : current.timestampMs() > previous.timestampMs() && current.offset() >= previous.offset();
            if (!increasing) {
                throw new CorruptIndexException("Time index " + file() + " entry " + n + " " + current
                    + " does not follow " + previous);
            }
            previous = current;
        }
        if (previous != null && logSizeBytes == 0) {
            throw new CorruptIndexException("Time index " + file() + " has entries but its log is empty");
        }
    }
}
