package io.brook.storage.internals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The sparse offset index of one segment ({@code <baseOffset>.index}), in Kafka's format.
 *
 * <p>Format: 8-byte big-endian entries {@code (int relativeOffset, int position)}: the record
 * batch whose last offset is {@code baseOffset + relativeOffset} starts at byte {@code position}
 * of the segment's {@code .log} file. An entry is added after every {@code index.interval.bytes}
 * of log, so a lookup lands at most that many bytes before the wanted batch and the reader scans
 * batch headers from there.
 *
 * <p>Invariants: relative offsets and positions strictly increase; every position is the start of
 * a batch and lies inside the log.
 *
 * <p>Not thread-safe: owned by the partition log's owner thread.
 */
public final class OffsetIndex extends AbstractIndex {

    public static final int ENTRY_BYTES = 8;

    public OffsetIndex(Path file, long baseOffset, int maxIndexBytes) throws IOException {
        super(file, baseOffset, maxIndexBytes);
    }

    @Override
    protected int entrySize() {
        return ENTRY_BYTES;
    }

    /** The {@code n}-th entry. */
    public OffsetPosition entry(int n) {
        ByteBuffer buffer = buffer();
        return new OffsetPosition(baseOffset + buffer.getInt(n * ENTRY_BYTES), buffer.getInt(n * ENTRY_BYTES + 4));
    }

    private long offsetAt(int n) {
        return baseOffset + buffer().getInt(n * ENTRY_BYTES);
    }

    /** The last entry, or {@code (baseOffset, 0)} when the index is empty. */
    public OffsetPosition lastEntry() {
        return entries() == 0 ? new OffsetPosition(baseOffset, 0) : entry(entries() - 1);
    }

    /**
     * The entry with the largest offset {@code <= targetOffset}, or {@code (baseOffset, 0)}: the
     * batch holding {@code targetOffset} starts at or after the returned position.
     */
    public OffsetPosition lookup(long targetOffset) {
        int slot = largestLowerBound(targetOffset, false, this::offsetAt);
        return slot < 0 ? new OffsetPosition(baseOffset, 0) : entry(slot);
    }

    /** Adds an entry; {@code offset} must exceed the last entry's offset. */
    public void append(long offset, int position) {
        if (entries() > 0) {
            OffsetPosition last = entry(entries() - 1);
            if (offset <= last.offset() || position <= last.position()) {
                throw new IllegalArgumentException("Offset index entry (" + offset + ", " + position
                    + ") is not after the last entry " + last + " in " + file());
            }
        }
        int relativeOffset = relativeOffset(offset);
        appendEntry(offset, buffer -> buffer.putInt(relativeOffset).putInt(position));
    }

    /** Removes every entry whose offset is {@code >= offset}. */
    public void truncateTo(long offset) {
        truncateToEntries(largestLowerBound(offset, true, this::offsetAt) + 1);
    }

    @Override
    public void sanityCheck(long logSizeBytes) {
        if (lengthBytes() % ENTRY_BYTES != 0) {
            throw new CorruptIndexException("Offset index " + file() + " is " + lengthBytes()
                + " bytes, not a multiple of " + ENTRY_BYTES);
        }
        OffsetPosition previous = null;
        for (int n = 0; n < entries(); n++) {
            OffsetPosition current = entry(n);
            boolean increasing = previous == null
                ? current.offset() >= baseOffset && current.position() >= 0
                : current.offset() > previous.offset() && current.position() > previous.position();
            if (!increasing) {
                throw new CorruptIndexException("Offset index " + file() + " entry " + n + " " + current
                    + " does not follow " + previous);
            }
            previous = current;
        }
        if (previous != null && previous.position() >= logSizeBytes) {
            throw new CorruptIndexException("Offset index " + file() + " last entry " + previous
                + " points past the end of the log (" + logSizeBytes + " bytes)");
        }
    }
}
