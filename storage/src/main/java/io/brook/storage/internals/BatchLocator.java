package io.brook.storage.internals;

import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.FileRecords;

import java.io.IOException;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Finds where an offset lies in one segment file: a walk of batch headers from an offset index
 * entry at or below it, trusting no header on its own. Every header must chain: a batch starts at
 * the offset after the previous one, the batch at an index entry ends at the entry's offset, and
 * the walk starts at position 0 with the segment's base offset. Known corrupt units are stepped
 * over; a break in the chain is handed to {@link SegmentIntegrity#locate} to become a unit, and the
 * walk starts again. So a damaged header never sends a read into the middle of another batch.
 *
 * <p>Not thread-safe: owned by the segment's owner thread.
 */
final class BatchLocator {

    private static final System.Logger LOG = System.getLogger(BatchLocator.class.getName());

    private final FileRecords log;
    private final long baseOffset;
    private final SegmentIntegrity integrity;

    BatchLocator(FileRecords log, long baseOffset, SegmentIntegrity integrity) {
        this.log = log;
        this.baseOffset = baseOffset;
        this.integrity = integrity;
    }

    /** Where an offset lies: the intact batch holding it (or the first after it), or the corrupt unit that should hold it. */
    record Located(BatchHeader header, CorruptUnit unit) {
    }

    /** Result of one header walk: where it arrived, or the position where the chain broke and why. */
    private record Walk(Located located, int brokenAt, String problem) {
        static Walk arrived(Located located) {
            return new Walk(located, -1, null);
        }
    }

    /**
     * Finds the batch holding {@code offset} (or the first one after it) by a walk of batch headers
     * from the offset index entry at or below it. Every header must chain (its base offset follows
     * the previous batch, the first one's last offset matches the index entry); a break is located
     * and registered as a corrupt unit, and the walk steps over known units.
     *
     * @param endOffset the offset after this segment's last batch
     * @return null when the segment holds nothing at or after {@code offset}
     */
    Located locate(long offset, OffsetPosition anchor, long endOffset) throws IOException {
        for (int attempt = 0; attempt <= SegmentIntegrity.MAX_UNITS; attempt++) {
            Walk walk = walk(offset, anchor);
            if (walk.brokenAt() < 0) {
                return walk.located();
            }
            int unitsBefore = integrity.unitCount();
            if (integrity.locate(walk.brokenAt(), false, walk.problem(), endOffset) == null
                && integrity.unitCount() == unitsBefore) {
                if (anchor.position() == 0) {
                    throw new CorruptRecordException("Segment " + log.file() + ": the batch headers from position "
                        + walk.brokenAt() + " do not chain (" + walk.problem() + ")");
                }
                LOG.log(WARNING, "{0}: offset index entry {1} does not match the log ({2}); walking from the start",
                    log.file(), anchor, walk.problem());
                anchor = new OffsetPosition(baseOffset, 0);
            }
        }
        throw new CorruptRecordException("Segment " + log.file() + " has too many corrupt ranges to read offset " + offset);
    }

    private Walk walk(long offset, OffsetPosition anchor) throws IOException {
        int position = anchor.position();
        long expectedBase = position == 0 ? baseOffset : SegmentIntegrity.UNKNOWN_OFFSET;
        long expectedLast = position == 0 ? SegmentIntegrity.UNKNOWN_OFFSET : anchor.offset();
        CorruptUnit inside = integrity.unitContaining(position);
        if (inside != null) {
            position = inside.position();
        }
        int end = log.sizeInBytes();
        while (position < end) {
            CorruptUnit unit = integrity.unitStartingAt(position);
            if (unit != null) {
                if (unit.lastOffset() >= offset) {
                    return Walk.arrived(new Located(null, unit));
                }
                position = unit.endPosition();
                expectedBase = unit.lastOffset() + 1;
                expectedLast = SegmentIntegrity.UNKNOWN_OFFSET;
                continue;
            }
            BatchHeader header = integrity.headerOrNull(position, end);
            String problem = chainProblem(header, expectedBase, expectedLast);
            if (problem != null) {
                return new Walk(null, position, problem);
            }
            if (header.lastOffset() >= offset) {
                return Walk.arrived(new Located(header, null));
            }
            position = header.endPosition();
            expectedBase = header.lastOffset() + 1;
            expectedLast = SegmentIntegrity.UNKNOWN_OFFSET;
        }
        return Walk.arrived(null);
    }

    private String chainProblem(BatchHeader header, long expectedBase, long expectedLast) {
        if (header == null) {
            return "no whole v2 batch header";
        }
        if (expectedBase != SegmentIntegrity.UNKNOWN_OFFSET && header.baseOffset() != expectedBase) {
            return "base offset " + header.baseOffset() + " where " + expectedBase + " was expected";
        }
        if (expectedLast != SegmentIntegrity.UNKNOWN_OFFSET && header.lastOffset() != expectedLast) {
            return "last offset " + header.lastOffset() + " where the offset index says " + expectedLast;
        }
        if (!integrity.fitsSegment(header.lastOffset())) {
            return "offsets " + header.baseOffset() + ".." + header.lastOffset() + " do not fit the segment";
        }
        return null;
    }
}
