package io.brook.storage.internals;

/**
 * Bytes of a segment file that do not hold the batches they should, and the offsets they should
 * hold: one batch whose CRC32C (or record count) fails, or, when a header itself is damaged so that
 * the next batch cannot be found from it, every byte up to the next intact batch.
 *
 * <p>Replicas hold the same offsets in the same bytes (batches are never re-encoded), so a unit is
 * repaired by writing another replica's batches for {@code [firstOffset, lastOffset]} over it: they
 * must fill exactly {@code sizeInBytes}, which keeps every later position (and index entry) valid.
 *
 * @param position    where the unit starts in its segment file
 * @param sizeInBytes its length in bytes
 * @param firstOffset the first offset it should hold (the offset after the previous batch)
 * @param lastOffset  the last offset it should hold (the one before the next intact batch)
 * @param reason      what was wrong, for the error report
 */
public record CorruptUnit(int position, int sizeInBytes, long firstOffset, long lastOffset, String reason) {

    public CorruptUnit {
        if (position < 0 || sizeInBytes <= 0 || lastOffset < firstOffset) {
            throw new IllegalArgumentException("Invalid corrupt unit " + position + "+" + sizeInBytes + " ["
                + firstOffset + ", " + lastOffset + "]");
        }
    }

    public int endPosition() {
        return position + sizeInBytes;
    }

    public boolean holds(long offset) {
        return offset >= firstOffset && offset <= lastOffset;
    }
}
