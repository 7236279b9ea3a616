package io.brook.replication;

/**
 * The answer to "where does leader epoch N end in your log?" (Kafka's OffsetsForLeaderEpoch):
 * the largest epoch {@code <= N} the log knows and the offset after its last record, that is the
 * start offset of the next epoch, or the log end offset for the latest epoch. Also the
 * {@code divergingEpoch} a leader puts in a fetch response instead of records.
 *
 * @param epoch     the epoch found, or {@link #UNDEFINED_EPOCH} when the log knows no epochs
 * @param endOffset the end offset of that epoch, or {@link #UNDEFINED_OFFSET}
 */
public record EpochEndOffset(int epoch, long endOffset) {

    public static final int UNDEFINED_EPOCH = -1;
    public static final long UNDEFINED_OFFSET = -1L;
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_OFFSET);

    public EpochEndOffset {
        if (epoch < UNDEFINED_EPOCH || endOffset < UNDEFINED_OFFSET) {
            throw new IllegalArgumentException("Invalid epoch end offset (" + epoch + ", " + endOffset + ")");
        }
    }

    public boolean hasEpoch() {
        return epoch != UNDEFINED_EPOCH;
    }
}
