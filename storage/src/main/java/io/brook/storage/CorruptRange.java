package io.brook.storage;

/**
 * Offsets of a partition log whose bytes on disk are corrupt (found by a read, or by recovery below
 * the recovery point), and how many bytes they occupy. Another replica's batches for exactly these
 * offsets, of exactly this size, repair them ({@link PartitionLog#repair}).
 *
 * @param firstOffset the first offset the bytes should hold
 * @param lastOffset  the last offset they should hold
 * @param sizeInBytes their size on disk
 */
public record CorruptRange(long firstOffset, long lastOffset, int sizeInBytes) {

    public CorruptRange {
        if (firstOffset < 0 || lastOffset < firstOffset || sizeInBytes <= 0) {
            throw new IllegalArgumentException("Invalid corrupt range [" + firstOffset + ", " + lastOffset + "] of "
                + sizeInBytes + " bytes");
        }
    }

    public boolean holds(long offset) {
        return offset >= firstOffset && offset <= lastOffset;
    }

    @Override
    public String toString() {
        return "[" + firstOffset + ", " + lastOffset + "] (" + sizeInBytes + " bytes)";
    }
}
