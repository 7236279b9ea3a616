package io.brook.storage.internals;

import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import static java.lang.System.Logger.Level.WARNING;

/**
 * The ordered segments of one partition directory and the file operations on them: roll, write,
 * read, flush, delete, truncate. Like Kafka's {@code LocalLog}; the policy (validation, offsets,
 * when to flush, what retention removes, checkpoints, epochs) is the owning partition log's.
 *
 * <p>Invariants: at least one segment; segments are keyed by base offset and contiguous; the last
 * is the active one and the only one written; {@link #logEndOffset()} is the offset after the
 * active segment's last batch.
 *
 * <p>Not thread-safe: owned by the partition log's owner thread.
 */
public final class LocalLog {

    private static final System.Logger LOG = System.getLogger(LocalLog.class.getName());

    private final Path dir;
    private final SegmentFileFactory files;
    private final TreeMap<Long, LogSegment> segments;
    private final SegmentDeleter deleter = new SegmentDeleter();
    private long logEndOffset;
    /** A segment was created since the last directory fsync. */
    private boolean dirNeedsFsync;

    public LocalLog(Path dir, SegmentFileFactory files, TreeMap<Long, LogSegment> segments, long logEndOffset) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("A log needs at least one segment: " + dir);
        }
        this.dir = dir;
        this.files = files;
        this.segments = segments;
        this.logEndOffset = logEndOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    public LogSegment activeSegment() {
        return segments.lastEntry().getValue();
    }

    public int numberOfSegments() {
        return segments.size();
    }

    public List<Long> baseOffsets() {
        return List.copyOf(segments.keySet());
    }

    public long firstBaseOffset() {
        return segments.firstKey();
    }

    /** As {@link #forEachBatch}, for the batches that start at or after {@code offset}. */
    public void forEachBatchFrom(long offset, java.util.function.Consumer<org.apache.kafka.common.record.internal.RecordBatch> action) {
        Long from = segments.floorKey(offset);
        for (LogSegment segment : segments.tailMap(from == null ? segments.firstKey() : from, true).values()) {
            try {
                for (org.apache.kafka.common.record.internal.RecordBatch batch : segment.log().batches()) {
                    if (batch.baseOffset() >= offset) {
                        action.accept(batch);
                    }
                }
            } catch (org.apache.kafka.common.KafkaException corrupt) {
                // as in forEachBatch
            }
        }
    }

    /**
     * Every batch of every segment, oldest first, by its header (records are not read). A segment's
     * walk stops at bytes that do not frame (corruption below the recovery point, which a read reports
     * when it first serves them); the next segment is walked all the same.
     */
    public void forEachBatch(java.util.function.Consumer<org.apache.kafka.common.record.internal.RecordBatch> action) {
        for (LogSegment segment : segments.values()) {
            try {
                segment.log().batches().forEach(action);
            } catch (org.apache.kafka.common.KafkaException corrupt) {
                // the rest of this segment is unreadable here; reads fail on it with CORRUPT_MESSAGE as before
            }
        }
    }

    public long sizeInBytes() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.sizeInBytes();
        }
        return total;
    }

    // ---------------------------------------------------------------- append

    /**
     * Writes a run of appends that starts at {@code from}: rolls first when the active segment
     * should roll, then writes as many consecutive appends as fit the segment in one write.
     *
     * @return the index after the last append written
     * @throws IOException if the write failed; the segment is as it was before (or, if
     *                     {@link SegmentRollbackFailedException}, inconsistent until recovered)
     */
    public int appendRun(List<PendingAppend> pending, int from, long nowMs, SegmentConfig config) throws IOException {
        PendingAppend head = pending.get(from);
        if (activeSegment().shouldRoll(head.sizeInBytes(), head.lastOffset(), nowMs, config.segmentMs(),
            config.segmentBytes())) {
            roll(config);
        }
        int end = runEnd(pending, from, config.segmentBytes());
        List<PendingAppend> run = pending.subList(from, end);
        activeSegment().append(PendingAppend.concatenate(run), nowMs);
        logEndOffset = run.get(run.size() - 1).lastOffset() + 1;
        return end;
    }

    /** End (exclusive) of the run of appends from {@code start} that fits the active segment. */
    private int runEnd(List<PendingAppend> pending, int start, int segmentBytes) {
        LogSegment active = activeSegment();
        long runBytes = 0;
        int end = start;
        while (end < pending.size()) {
            PendingAppend append = pending.get(end);
            boolean fits = active.canFit(runBytes + append.sizeInBytes(), append.lastOffset(), segmentBytes);
            if (!fits && end > start) {
                break;
            }
            runBytes += append.sizeInBytes();
            end++;
        }
        return end;
    }

    /** Starts a new active segment at the log end offset. */
    private void roll(SegmentConfig config) throws IOException {
        LogSegment previous = activeSegment();
        LogSegment next;
        try {
            next = LogSegment.create(dir, logEndOffset, config.indexIntervalBytes(), config.maxIndexBytes(), files);
            next.makeActive();
        } catch (IOException e) {
            deleteQuietly(LogFiles.logFile(dir, logEndOffset), LogFiles.offsetIndexFile(dir, logEndOffset),
                LogFiles.timeIndexFile(dir, logEndOffset));
            throw e;
        }
        previous.makeInactive();
        segments.put(next.baseOffset(), next);
        dirNeedsFsync = true;
    }

    private static void deleteQuietly(Path... paths) {
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                LOG.log(WARNING, "Could not remove " + path + " after a failed roll", e);
            }
        }
    }

    // ---------------------------------------------------------------- read

    /**
     * Whole batches from the one holding {@code startOffset}, within one segment (see
     * {@link LogSegment#read}); an empty slice at the log end.
     */
    public FileRecords read(long startOffset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch)
        throws IOException {
        if (startOffset < logEndOffset) {
            Long from = segments.floorKey(startOffset);
            for (LogSegment segment : segments.tailMap(from == null ? segments.firstKey() : from, true).values()) {
                FileRecords slice = segment.read(startOffset, maxBytes, maxOffsetExclusive, minOneBatch,
                    endOffsetOf(segment));
                if (slice != null) {
                    return slice;
                }
            }
        }
        FileRecords activeLog = activeSegment().log();
        return activeLog.slice(activeLog.sizeInBytes(), 0);
    }

    /** The offset after a segment's last batch: the next segment's base offset, or the log end. */
    public long segmentEnd(LogSegment segment) {
        return endOffsetOf(segment);
    }

    private long endOffsetOf(LogSegment segment) {
        Long next = segments.higherKey(segment.baseOffset());
        return next == null ? logEndOffset : next;
    }

    /** The first record at or after {@code startingOffset} with a timestamp {@code >= timestampMs}. */
    public Optional<TimestampAndOffset> offsetForTimestamp(long timestampMs, long startingOffset) throws IOException {
        for (LogSegment segment : segments.values()) {
            if (segment.maxTimestampMs() >= timestampMs) {
                Optional<TimestampAndOffset> found = segment.findOffsetByTimestamp(timestampMs, startingOffset);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- flush

    /** fsyncs every segment from the one holding {@code fromOffset} on, and the directory after a roll. */
    public void flush(long fromOffset) throws IOException {
        flush(fromOffset, Long.MAX_VALUE);
    }

    /**
     * fsyncs the segments from the one holding {@code fromOffset} up to (not including) the one
     * starting at {@code toOffsetExclusive}, and the directory after a roll: Kafka's
     * {@code flushUptoOffsetExclusive} with a segment base offset as the bound.
     */
    public void flush(long fromOffset, long toOffsetExclusive) throws IOException {
        Long from = segments.floorKey(fromOffset);
        for (LogSegment segment : segments.subMap(from == null ? segments.firstKey() : from, true,
            toOffsetExclusive, false).values()) {
            segment.flush();
        }
        if (dirNeedsFsync) {
            LogFiles.fsyncDir(dir);
            dirNeedsFsync = false;
        }
    }

    public boolean dirNeedsFsync() {
        return dirNeedsFsync;
    }

    // ---------------------------------------------------------------- corruption

    /** Every corrupt unit found in this process and not repaired, with its segment's base offset, in log order. */
    public List<SegmentUnit> corruptUnits() {
        List<SegmentUnit> all = new ArrayList<>();
        for (LogSegment segment : segments.values()) {
            for (CorruptUnit unit : segment.corruptUnits()) {
                all.add(new SegmentUnit(segment, unit));
            }
        }
        return all;
    }

    /** The corrupt unit that should hold {@code offset}, with its segment, or null. */
    public SegmentUnit corruptUnitHolding(long offset) {
        Long base = segments.floorKey(offset);
        if (base == null) {
            return null;
        }
        LogSegment segment = segments.get(base);
        CorruptUnit unit = segment.corruptUnitHolding(offset);
        return unit == null ? null : new SegmentUnit(segment, unit);
    }

    /** A corrupt unit and the segment it lies in. */
    public record SegmentUnit(LogSegment segment, CorruptUnit unit) {
    }

    // ---------------------------------------------------------------- delete and truncate

    /** The segments before the active one, oldest first (the candidates for retention). */
    public List<LogSegment> inactiveSegments() {
        return new ArrayList<>(segments.headMap(activeSegment().baseOffset(), false).values());
    }

    /**
     * Removes the {@code count} oldest segments (never the active one); their files go after the
     * delete delay.
     *
     * @return the base offset of the new first segment
     */
    public long removeOldest(int count, long nowMs, SegmentConfig config) throws IOException {
        if (count >= segments.size()) {
            throw new IllegalArgumentException("Cannot remove " + count + " of " + segments.size()
                + " segments: the active segment stays");
        }
        for (int i = 0; i < count; i++) {
            deleter.schedule(segments.pollFirstEntry().getValue(), nowMs, config.fileDeleteDelayMs());
        }
        return segments.firstKey();
    }

    /**
     * Removes the {@code count} oldest segments (never the active one) and deletes their files
     * now, not after the delete delay: the full-disk path of retention, which must free space
     * before it can write the checkpoint. Oldest first, with a directory fsync after each segment,
     * so that at every crash point the segments left on disk are a suffix of the log (never a gap):
     * the loader then starts the log at the first of them. Read slices handed out earlier from
     * these segments become unreadable.
     *
     * @return the base offset of the new first segment
     */
    public long removeOldestNow(int count) throws IOException {
        if (count >= segments.size()) {
            throw new IllegalArgumentException("Cannot remove " + count + " of " + segments.size()
                + " segments: the active segment stays");
        }
        for (int i = 0; i < count; i++) {
            LogSegment oldest = segments.firstEntry().getValue();
            oldest.deleteFiles(); // .log first, then its indexes: an index without its log is a leftover the loader removes
            segments.pollFirstEntry();
            LogFiles.fsyncDir(dir);
        }
        return segments.firstKey();
    }

    /** Deletes the files of every earlier removal now, whatever their delete delay (a full disk). */
    public void deletePendingFilesNow() {
        deleter.deleteAll();
    }

    /** Removes the files of earlier removals whose delete delay has passed. */
    public void deleteExpiredFiles(long nowMs) {
        deleter.deleteExpired(nowMs);
    }

    /**
     * Removes the batch holding {@code offset} and everything after it; {@code offset} must lie in
     * the log. Later segments are removed, the one holding the offset becomes active again.
     */
    public void truncateTo(long offset, long nowMs, SegmentConfig config) throws IOException {
        for (LogSegment segment : new ArrayList<>(segments.tailMap(offset, false).values())) {
            segments.remove(segment.baseOffset());
            deleter.schedule(segment, nowMs, config.fileDeleteDelayMs());
        }
        LogSegment active = activeSegment();
        active.truncateTo(offset, logEndOffset);
        active.makeActive();
        logEndOffset = active.readNextOffset();
    }

    /** The steps of {@link #replaceSegments}, told to a listener after each (crash-point tests stop there). */
    public enum SwapStep { SWAP_FILE_WRITTEN, OLD_SEGMENTS_REMOVED, SWAP_COMPLETE }

    /** Hears each step of a swap; a test's listener throws to stop the swap there, as a crash would. */
    @FunctionalInterface
    public interface SwapListener {
        SwapListener NONE = step -> { };

        void afterStep(SwapStep step) throws IOException;
    }

    /**
     * Swaps the cleaner's fsynced {@code .cleaned} segment in for {@code old} (consecutive segments,
     * the first with the same base offset), crash-safely as Kafka's {@code replaceSegments}:
     * <ol>
     *   <li>rename it to {@code .swap} (indexes first, the {@code .log} last) and fsync the
     *       directory: from here on a load completes the swap;</li>
     *   <li>remove the old segments (renamed {@code .deleted}, their files go after the delete
     *       delay, so reads already handed out finish);</li>
     *   <li>rename {@code .swap} to the plain names and fsync the directory.</li>
     * </ol>
     * A crash before step 1 leaves {@code .cleaned} files, which a load deletes; after it, a load
     * deletes whatever old segment is left in the swap segment's offset range and renames the swap
     * files ({@link LogLoader}).
     */
    public void replaceSegments(LogSegment cleaned, List<LogSegment> old, long nowMs, long fileDeleteDelayMs,
                                SwapListener listener) throws IOException {
        if (old.isEmpty() || cleaned.baseOffset() != old.get(0).baseOffset() || old.contains(activeSegment())) {
            throw new IllegalArgumentException("Cannot swap " + cleaned + " in for " + old);
        }
        cleaned.changeFileSuffix(LogFiles.SWAP_SUFFIX);
        LogFiles.fsyncDir(dir);
        listener.afterStep(SwapStep.SWAP_FILE_WRITTEN);
        for (LogSegment segment : old) {
            segments.remove(segment.baseOffset());
            deleter.schedule(segment, nowMs, fileDeleteDelayMs);
        }
        listener.afterStep(SwapStep.OLD_SEGMENTS_REMOVED);
        cleaned.changeFileSuffix("");
        segments.put(cleaned.baseOffset(), cleaned);
        LogFiles.fsyncDir(dir);
        listener.afterStep(SwapStep.SWAP_COMPLETE);
    }

    /** Removes every segment and starts over with one empty segment at {@code offset}. */
    public void truncateFullyAndStartAt(long offset, long nowMs, SegmentConfig config) throws IOException {
        for (LogSegment segment : segments.values()) {
            deleter.schedule(segment, nowMs, config.fileDeleteDelayMs());
        }
        segments.clear();
        LogSegment fresh = LogSegment.create(dir, offset, config.indexIntervalBytes(), config.maxIndexBytes(), files);
        fresh.makeActive();
        segments.put(offset, fresh);
        logEndOffset = offset;
        dirNeedsFsync = true;
    }

    // ---------------------------------------------------------------- close

    /** Closes every segment (final time index entries, trimmed indexes, flushed files). */
    public void close() throws IOException {
        for (LogSegment segment : segments.values()) {
            segment.close();
        }
        deleter.deleteAll();
    }

    /** Releases file handles without flushing or trimming, as a crash would leave them. */
    public void closeHandlers() {
        for (LogSegment segment : segments.values()) {
            try {
                segment.closeHandlers();
            } catch (IOException e) {
                LOG.log(WARNING, "Could not close " + segment + " in " + dir, e);
            }
        }
        deleter.deleteAll();
    }
}
