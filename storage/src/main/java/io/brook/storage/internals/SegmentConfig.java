package io.brook.storage.internals;

/**
 * The part of a topic's config the segment list needs, as plain values (the internals do not
 * depend on the public {@code LogConfig}).
 *
 * @param segmentBytes       roll before an append that would make the active segment larger
 * @param segmentMs          roll once the active segment's first append is older than this
 * @param indexIntervalBytes log bytes between two index entries
 * @param maxIndexBytes      index file preallocation; a full index rolls the segment
 * @param fileDeleteDelayMs  how long removed segments keep their files
 */
public record SegmentConfig(int segmentBytes, long segmentMs, int indexIntervalBytes, int maxIndexBytes,
                            long fileDeleteDelayMs) {
}
