package io.brook.storage.internals;

import java.io.IOException;
import java.util.List;

/**
 * Decides how many of the oldest segments retention deletes, as Kafka does: by time, every
 * leading segment whose newest record is older than {@code retention.ms}; by size, every leading
 * segment the log can lose while still holding at least {@code retention.bytes}. The result is the
 * larger of the two prefixes. The active segment is never a candidate.
 *
 * <p>Stateless.
 */
public final class RetentionPolicy {

    private RetentionPolicy() {
    }

    /**
     * @param inactiveSegments the segments before the active one, oldest first
     * @param totalBytes       size of the whole log, active segment included
     * @return how many leading segments to delete
     */
    public static int deletableSegments(List<LogSegment> inactiveSegments, long totalBytes, long retentionMs,
                                        long retentionBytes, long nowMs) throws IOException {
        return Math.max(expiredByTime(inactiveSegments, retentionMs, nowMs),
            excessBySize(inactiveSegments, totalBytes, retentionBytes));
    }

    private static int expiredByTime(List<LogSegment> segments, long retentionMs, long nowMs) throws IOException {
        if (retentionMs < 0) {
            return 0;
        }
        int count = 0;
        while (count < segments.size() && nowMs - segments.get(count).largestTimestampMs() > retentionMs) {
            count++;
        }
        return count;
    }

    private static int excessBySize(List<LogSegment> segments, long totalBytes, long retentionBytes) {
        if (retentionBytes < 0) {
            return 0;
        }
        long excessBytes = totalBytes - retentionBytes;
        int count = 0;
        while (count < segments.size() && excessBytes - segments.get(count).sizeInBytes() >= 0) {
            excessBytes -= segments.get(count).sizeInBytes();
            count++;
        }
        return count;
    }
}
