package io.brook.storage.internals;

import org.apache.kafka.common.KafkaException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Opens a partition directory and brings it to a consistent state: the crash-recovery half of the
 * log, like Kafka's {@code LogLoader}.
 *
 * <ol>
 *   <li>An interrupted clean is settled (Kafka's {@code LogLoader} does the same): {@code *.cleaned}
 *       files (a clean that had not reached its commit point) are deleted, and so are
 *       {@code .swap} indexes without a {@code .log.swap}; each {@code <base>.log.swap} (a cleaned
 *       segment past its commit point) replaces every old segment whose base offset lies in its
 *       offset range, and its files are renamed to the plain names.</li>
 *   <li>Leftovers go: {@code *.tmp} (an interrupted checkpoint write), {@code *.deleted}
 *       (segments whose deletion was interrupted) and index files without a {@code .log}.</li>
 *   <li>Segments wholly below the checkpointed log start offset go (retention was interrupted
 *       after it checkpointed the new start offset). A checkpointed log start offset below the
 *       first segment is raised to that segment's base offset (retention on a full disk deletes
 *       the files first and was interrupted before its checkpoint).</li>
 *   <li>After a clean shutdown (marker present) nothing is re-validated, but the active
 *       segment's indexes are sanity-checked and its tail must end on a whole batch; otherwise
 *       that segment is recovered.</li>
 *   <li>Otherwise every segment from the one holding the recovery point on is recovered
 *       ({@link LogSegment#recover(long)}): the batches from the recovery point on are
 *       re-validated and cut at the first invalid one (they were never fsynced); at the first
 *       segment that had to be cut, every later segment is deleted, since its offsets would no
 *       longer follow. Nothing below the recovery point is re-validated or cut (as in Kafka):
 *       segments wholly below it are not even opened, and in the segment holding it the batches
 *       before it are only walked by their headers. Damage there is found and reported when the
 *       bytes are read (see {@link SegmentIntegrity}).</li>
 *   <li>The checkpoint is rewritten with the loaded state; on a full disk the old one may stay
 *       when that is safe (see {@link #writeCheckpoint}).</li>
 *   <li>The clean-shutdown marker is removed, so a crash from here on is detected.</li>
 * </ol>
 * Every truncation and deletion is logged at WARN.
 *
 * <p>Runs on the thread that opens the log, before anyone else can see it.
 */
public final class LogLoader {

    private static final System.Logger LOG = System.getLogger(LogLoader.class.getName());

    /** The state a loaded log starts from. */
    public record LoadedLog(TreeMap<Long, LogSegment> segments, long logStartOffset, long recoveryPoint,
                            long logEndOffset, boolean hadCleanShutdown, boolean checkpointStale) {
    }

    private final Path dir;
    private final int indexIntervalBytes;
    private final int maxIndexBytes;
    private final SegmentFileFactory files;
    private final long nowMs;

    public LogLoader(Path dir, int indexIntervalBytes, int maxIndexBytes, SegmentFileFactory files, long nowMs) {
        this.dir = dir;
        this.indexIntervalBytes = indexIntervalBytes;
        this.maxIndexBytes = maxIndexBytes;
        this.files = files;
        this.nowMs = nowMs;
    }

    public LoadedLog load() throws IOException {
        Files.createDirectories(dir);
        boolean hadCleanShutdown = Files.exists(dir.resolve(LogFiles.CLEAN_SHUTDOWN_FILE));
        completeOrDiscardSwaps();
        removeLeftovers();
        Optional<PartitionCheckpoint> checkpoint = PartitionCheckpoint.read(dir);
        TreeMap<Long, LogSegment> segments = openSegments();
        long logStartOffset = checkpoint.map(PartitionCheckpoint::logStartOffset)
            .orElse(segments.isEmpty() ? 0L : segments.firstKey());
        deleteSegmentsBelow(segments, logStartOffset);
        boolean trustClean = hadCleanShutdown && checkpoint.isPresent();
        long checkpointedRecoveryPoint = checkpoint.map(PartitionCheckpoint::recoveryPoint).orElse(0L);
        if (trustClean) {
            checkActiveSegment(segments, checkpointedRecoveryPoint);
        } else {
            recover(segments, checkpointedRecoveryPoint);
        }
        if (segments.isEmpty()) {
            segments.put(logStartOffset, newSegment(logStartOffset));
        }
        LogSegment active = segments.lastEntry().getValue();
        active.makeActive();
        long logEndOffset = active.readNextOffset();
        if (logStartOffset > logEndOffset) {
            LOG.log(WARNING, "{0}: log start offset {1} is beyond the recovered log end {2}; starting empty at {1}",
                dir, logStartOffset, logEndOffset);
            for (LogSegment segment : segments.values()) {
                segment.deleteFiles();
            }
            segments.clear();
            LogSegment fresh = newSegment(logStartOffset);
            fresh.makeActive();
            segments.put(logStartOffset, fresh);
            logEndOffset = logStartOffset;
        }
        logStartOffset = Math.max(logStartOffset, segments.firstKey());
        // raised to the first segment's base, not to the log start: a purge may have put that
        // inside a batch, and the recovery point must stay a batch boundary
        long recoveryPoint = trustClean ? logEndOffset
            : Math.max(segments.firstKey(), Math.min(checkpoint.map(PartitionCheckpoint::recoveryPoint).orElse(0L), logEndOffset));
        boolean checkpointStale = !writeCheckpoint(new PartitionCheckpoint(logStartOffset, recoveryPoint),
            checkpoint.map(PartitionCheckpoint::recoveryPoint).orElse(0L));
        LogFiles.removeCleanShutdownMarker(dir);
        return new LoadedLog(segments, logStartOffset, recoveryPoint, logEndOffset, hadCleanShutdown, checkpointStale);
    }

    /**
     * Writes the loaded state's checkpoint. On a full disk the old file may stay, so that a log
     * whose disk filled up can still be opened (and its retention free the space), if the old file
     * is safe to keep: its recovery point at or below the loaded one (a crash then re-validates
     * more, never less). Its log start offset is always safe to keep: the loaded one was derived
     * from it and the segments on disk, and the next load derives it again the same way.
     *
     * @return false when the old file stays (the log retries on its next flush)
     */
    private boolean writeCheckpoint(PartitionCheckpoint loaded, long checkpointedRecoveryPoint) throws IOException {
        try {
            loaded.write(dir);
            return true;
        } catch (IOException e) {
            if (!DiskSpace.isOutOfSpace(e, dir) || checkpointedRecoveryPoint > loaded.recoveryPoint()) {
                throw e;
            }
            LOG.log(WARNING, "{0}: the disk is full; opening with the older checkpoint on disk, to be written again "
                + "once there is space ({1})", dir, e.toString());
            return false;
        }
    }

    private LogSegment newSegment(long baseOffset) throws IOException {
        return LogSegment.create(dir, baseOffset, indexIntervalBytes, maxIndexBytes, files);
    }

    private void completeOrDiscardSwaps() throws IOException {
        List<Path> entries = listDir();
        java.util.TreeSet<Long> swapBases = new java.util.TreeSet<>();
        for (Path file : entries) {
            String name = file.getFileName().toString();
            if (name.endsWith(LogFiles.CLEANED_SUFFIX)) {
                LOG.log(INFO, "{0}: removing {1}, the output of an interrupted clean", dir, name);
                Files.deleteIfExists(file);
            } else if (name.endsWith(LogFiles.LOG_SUFFIX + LogFiles.SWAP_SUFFIX)) {
                LogFiles.baseOffset(file.resolveSibling(name.substring(0, name.length() - LogFiles.SWAP_SUFFIX.length())),
                    LogFiles.LOG_SUFFIX).ifPresent(swapBases::add);
            }
        }
        for (Path file : entries) {
            String name = file.getFileName().toString();
            if (name.endsWith(LogFiles.SWAP_SUFFIX) && !name.endsWith(LogFiles.LOG_SUFFIX + LogFiles.SWAP_SUFFIX)
                && swapBases.stream().noneMatch(base -> name.startsWith(LogFiles.filenamePrefix(base) + "."))) {
                LOG.log(INFO, "{0}: removing {1}, an index of a swap that never reached its commit point", dir, name);
                Files.deleteIfExists(file);
            }
        }
        for (long base : swapBases) {
            completeSwap(base);
        }
    }

    /** Replaces the old segments in the swap segment's offset range with it, then gives it the plain names. */
    private void completeSwap(long base) throws IOException {
        Path swapLog = LogFiles.withSuffix(LogFiles.logFile(dir, base), LogFiles.SWAP_SUFFIX);
        long nextOffset = base;
        try (org.apache.kafka.common.record.internal.FileRecords records =
                 org.apache.kafka.common.record.internal.FileRecords.open(swapLog.toFile(), false)) {
            for (var batch : records.batches()) {
                nextOffset = batch.lastOffset() + 1;
            }
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + LogFiles.LOG_SUFFIX)) {
            for (Path file : stream) {
                OptionalLong old = LogFiles.baseOffset(file, LogFiles.LOG_SUFFIX);
                if (old.isPresent() && old.getAsLong() >= base && old.getAsLong() < nextOffset) {
                    Files.deleteIfExists(file);
                    if (old.getAsLong() != base) { // the swap's own indexes replace base's below
                        Files.deleteIfExists(LogFiles.offsetIndexFile(dir, old.getAsLong()));
                        Files.deleteIfExists(LogFiles.timeIndexFile(dir, old.getAsLong()));
                    }
                }
            }
        }
        for (Path plain : List.of(LogFiles.offsetIndexFile(dir, base), LogFiles.timeIndexFile(dir, base))) {
            Path swap = LogFiles.withSuffix(plain, LogFiles.SWAP_SUFFIX);
            if (Files.exists(swap)) {
                LogFiles.atomicMove(swap, plain);
            }
        }
        LogFiles.atomicMove(swapLog, LogFiles.logFile(dir, base));
        LogFiles.fsyncDir(dir);
        LOG.log(WARNING, "{0}: completed the swap of the cleaned segment {1} (offsets [{2}, {3})) that a crash "
            + "interrupted", dir, base, Long.toString(base), Long.toString(nextOffset));
    }

    private List<Path> listDir() throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(entries::add);
        }
        return entries;
    }

    private void removeLeftovers() throws IOException {
        for (Path file : listDir()) {
            String name = file.getFileName().toString();
            boolean orphanIndex = isOrphanIndex(file, LogFiles.INDEX_SUFFIX) || isOrphanIndex(file, LogFiles.TIME_INDEX_SUFFIX);
            if (name.endsWith(LogFiles.TMP_SUFFIX) || name.endsWith(LogFiles.DELETED_SUFFIX) || orphanIndex) {
                LOG.log(INFO, "{0}: removing leftover file {1}", dir, name);
                Files.deleteIfExists(file);
            }
        }
    }

    private boolean isOrphanIndex(Path file, String suffix) {
        OptionalLong baseOffset = LogFiles.baseOffset(file, suffix);
        return baseOffset.isPresent() && !Files.exists(LogFiles.logFile(dir, baseOffset.getAsLong()));
    }

    private TreeMap<Long, LogSegment> openSegments() throws IOException {
        TreeMap<Long, LogSegment> segments = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + LogFiles.LOG_SUFFIX)) {
            for (Path file : stream) {
                OptionalLong baseOffset = LogFiles.baseOffset(file, LogFiles.LOG_SUFFIX);
                if (baseOffset.isPresent()) {
                    long base = baseOffset.getAsLong();
                    segments.put(base, LogSegment.open(dir, base, indexIntervalBytes, maxIndexBytes, files, nowMs));
                }
            }
        }
        return segments;
    }

    /** Deletes segments whose every offset is below {@code logStartOffset} (the next segment starts at or before it). */
    private void deleteSegmentsBelow(TreeMap<Long, LogSegment> segments, long logStartOffset) throws IOException {
        while (segments.size() > 1 && segments.higherKey(segments.firstKey()) <= logStartOffset) {
            LogSegment segment = segments.pollFirstEntry().getValue();
            LOG.log(INFO, "{0}: deleting segment {1}, below the log start offset {2}", dir, segment.baseOffset(),
                logStartOffset);
            segment.deleteFiles();
        }
    }

    private void checkActiveSegment(TreeMap<Long, LogSegment> segments, long recoveryPoint) throws IOException {
        if (segments.isEmpty()) {
            return;
        }
        LogSegment active = segments.lastEntry().getValue();
        String problem;
        try {
            active.makeActive();
            LogSegment.TailScan tail = active.scanTail();
            if (tail.consistent()) {
                return;
            }
            problem = "its last whole batch ends at byte " + tail.validEndPosition() + " of " + tail.sizeInBytes();
        } catch (IllegalArgumentException | KafkaException e) {
            // the bytes did not parse: recovery re-validates every batch of the segment
            problem = e.toString();
        }
        LOG.log(WARNING, "{0}: active segment {1} is inconsistent after a clean shutdown ({2}); recovering it",
            dir, active.baseOffset(), problem);
        active.recover(recoveryPoint);
    }

    private void recover(TreeMap<Long, LogSegment> segments, long recoveryPoint) throws IOException {
        if (segments.isEmpty()) {
            return;
        }
        Long from = segments.floorKey(recoveryPoint);
        List<LogSegment> unflushed = new ArrayList<>(segments.tailMap(from == null ? segments.firstKey() : from, true).values());
        LOG.log(INFO, "{0}: no clean shutdown; recovering {1} segment(s) from offset {2} (re-validating from the "
            + "recovery point {3})", dir, unflushed.size(), unflushed.get(0).baseOffset(), recoveryPoint);
        for (int i = 0; i < unflushed.size(); i++) {
            LogSegment segment = unflushed.get(i);
            int truncatedBytes = segment.recover(recoveryPoint);
            if (i < unflushed.size() - 1) {
                segment.makeInactive();
            }
            if (truncatedBytes > 0) {
                deleteSegmentsAfter(segments, segment.baseOffset());
                return;
            }
        }
    }

    private void deleteSegmentsAfter(TreeMap<Long, LogSegment> segments, long baseOffset) throws IOException {
        Map<Long, LogSegment> later = segments.tailMap(baseOffset, false);
        for (LogSegment segment : later.values()) {
            LOG.log(WARNING, "{0}: deleting segment {1} ({2} bytes) because an earlier segment was truncated",
                dir, segment.baseOffset(), segment.sizeInBytes());
            segment.deleteFiles();
        }
        later.clear();
    }
}
