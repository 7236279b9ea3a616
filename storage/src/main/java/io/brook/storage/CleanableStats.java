package io.brook.storage;

/**
 * How much of a compacted log the cleaner could clean now (Kafka's {@code LogToClean}): the closed
 * segments below {@code firstUncleanableOffset} (the active segment's base offset, the high
 * watermark the caller passed, and the first segment younger than {@code min.compaction.lag.ms}),
 * split at {@code firstDirtyOffset} into bytes already cleaned and bytes not.
 *
 * @param due whether the log should be cleaned now: the dirty ratio is at least
 *            {@code min.cleanable.dirty.ratio}, a dirty segment is older than
 *            {@code max.compaction.lag.ms}, or a tombstone's delete horizon has passed
 */
public record CleanableStats(long firstDirtyOffset, long firstUncleanableOffset, long cleanBytes, long dirtyBytes,
                             boolean due) {

    /** Not compacted, or nothing closed to clean. */
    public static CleanableStats none(long firstDirtyOffset) {
        return new CleanableStats(firstDirtyOffset, firstDirtyOffset, 0, 0, false);
    }

    /** Dirty bytes over all cleanable bytes; 0 when there are none. */
    public double dirtyRatio() {
        long total = cleanBytes + dirtyBytes;
        return total == 0 ? 0.0 : (double) dirtyBytes / total;
    }
}
