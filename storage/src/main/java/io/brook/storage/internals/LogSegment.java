package io.brook.storage.internals;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import static java.lang.System.Logger.Level.WARNING;

/**
 * One segment of a partition log: a {@code .log} file of v2 record batches whose first batch
 * starts at {@link #baseOffset()}, plus its sparse {@link OffsetIndex} and {@link TimeIndex}.
 *
 * <p>The {@code .log} file is Kafka's record batches v2, back to back, exactly as produced and
 * fetched: {@code baseOffset int64, batchLength int32, partitionLeaderEpoch int32, magic int8 (2),
 * crc uint32 (CRC32C of everything after it), attributes int16, lastOffsetDelta int32,
 * baseTimestamp int64, maxTimestamp int64, producerId int64, producerEpoch int16,
 * baseSequence int32, recordCount int32, records}. The file has no header and no padding, so its
 * size is the position of the next append.
 *
 * <p>Invariants: batches are whole and their offset ranges contiguous, starting at the base offset
 * (a compacted batch holds fewer records than offsets, or none);
 * every offset fits the indexes' 32-bit relative offsets; index entries point at batch starts
 * inside the file. Only the newest ("active") segment is appended to; its indexes are
 * preallocated to {@code segment.index.bytes}. The indexes of other segments are trimmed, and
 * opened (mmapped, sanity-checked, rebuilt when corrupt or missing) only on first use, so a log
 * with many segments costs few mappings.
 *
 * <p>Integrity: bytes not validated in this process (below the recovery point) are checked the
 * first time a read serves them; damage found becomes a {@link CorruptUnit} that reads of its
 * offsets fail on, that header walks step over ({@link BatchLocator}), and that a replica's copy
 * can replace in place ({@link SegmentIntegrity}).
 *
 * <p>Not thread-safe: owned by the thread that owns the partition log.
 */
public final class LogSegment implements Closeable {

    private static final System.Logger LOG = System.getLogger(LogSegment.class.getName());
    /** {@link #maxTimestampSoFar} not read yet (lazily, from the time index and the log tail). */
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final Path dir;
    private final long baseOffset;
    private final FileRecords log;
    private final int indexIntervalBytes;
    private final int maxIndexBytes;
    private OffsetIndex offsetIndex;
    private TimeIndex timeIndex;
    private boolean active;
    private boolean deleted;
    /** Appended to every file name: "" for a segment of the log, ".cleaned" or ".swap" for the cleaner's output. */
    private String fileSuffix = "";
    private long maxTimestampSoFar = UNKNOWN;
    private long offsetOfMaxTimestampSoFar;
    private int bytesSinceLastIndexEntry;
    /** When the roll clock of segment.ms started: first append, or (after a reopen) the first batch's time. */
    private long rollingBaseMs;
    /** Verified and corrupt byte ranges found in this process. */
    private final SegmentIntegrity integrity;
    private final BatchLocator locator;

    private LogSegment(Path dir, long baseOffset, FileRecords log, int indexIntervalBytes, int maxIndexBytes,
                       long rollingBaseMs) {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.log = log;
        this.integrity = new SegmentIntegrity(log, baseOffset);
        this.locator = new BatchLocator(log, baseOffset, integrity);
        this.indexIntervalBytes = indexIntervalBytes;
        this.maxIndexBytes = maxIndexBytes;
        this.rollingBaseMs = rollingBaseMs;
    }

    /** Creates a new, empty segment (its index files preallocated). */
    public static LogSegment create(Path dir, long baseOffset, int indexIntervalBytes, int maxIndexBytes,
                                    SegmentFileFactory files) throws IOException {
        return create(dir, baseOffset, indexIntervalBytes, maxIndexBytes, files, "");
    }

    /**
     * Creates the cleaner's new, empty segment under the {@code .cleaned} names (Kafka's
     * {@code createNewCleanedSegment}); whatever a crashed clean left under them is replaced.
     */
    public static LogSegment createCleaned(Path dir, long baseOffset, int indexIntervalBytes, int maxIndexBytes,
                                           SegmentFileFactory files) throws IOException {
        Files.deleteIfExists(LogFiles.withSuffix(LogFiles.logFile(dir, baseOffset), LogFiles.CLEANED_SUFFIX));
        return create(dir, baseOffset, indexIntervalBytes, maxIndexBytes, files, LogFiles.CLEANED_SUFFIX);
    }

    private static LogSegment create(Path dir, long baseOffset, int indexIntervalBytes, int maxIndexBytes,
                                     SegmentFileFactory files, String suffix) throws IOException {
        Files.deleteIfExists(LogFiles.withSuffix(LogFiles.offsetIndexFile(dir, baseOffset), suffix));
        Files.deleteIfExists(LogFiles.withSuffix(LogFiles.timeIndexFile(dir, baseOffset), suffix));
        FileRecords log = files.open(LogFiles.withSuffix(LogFiles.logFile(dir, baseOffset), suffix).toFile(), false);
        LogSegment segment = new LogSegment(dir, baseOffset, log, indexIntervalBytes, maxIndexBytes, -1L);
        segment.fileSuffix = suffix;
        segment.maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
        segment.ensureIndexesLoaded();
        return segment;
    }

    /** Opens an existing segment; its indexes stay closed until first used. */
    public static LogSegment open(Path dir, long baseOffset, int indexIntervalBytes, int maxIndexBytes,
                                  SegmentFileFactory files, long nowMs) throws IOException {
        FileRecords log = files.open(LogFiles.logFile(dir, baseOffset).toFile(), true);
        LogSegment segment = new LogSegment(dir, baseOffset, log, indexIntervalBytes, maxIndexBytes, -1L);
        segment.rollingBaseMs = segment.firstBatchTimestampOr(nowMs);
        return segment;
    }

    private long firstBatchTimestampOr(long nowMs) {
        if (log.sizeInBytes() == 0) {
            return -1L;
        }
        try {
            for (FileChannelRecordBatch batch : log.batches()) {
                long timestampMs = batch.maxTimestamp();
                return timestampMs >= 0 && timestampMs <= nowMs ? timestampMs : nowMs;
            }
        } catch (RuntimeException e) {
            // not validated yet (recovery runs later and reports corruption); roll by time from now
        }
        return nowMs;
    }

    public long baseOffset() {
        return baseOffset;
    }

    public int sizeInBytes() {
        return log.sizeInBytes();
    }

    public FileRecords log() {
        return log;
    }

    public boolean isActive() {
        return active;
    }

    /** The offset index, opened and sanity-checked on first use. */
    public OffsetIndex offsetIndex() throws IOException {
        ensureIndexesLoaded();
        return offsetIndex;
    }

    /** The time index, opened and sanity-checked on first use. */
    public TimeIndex timeIndex() throws IOException {
        ensureIndexesLoaded();
        return timeIndex;
    }

    private void ensureIndexesLoaded() throws IOException {
        if (offsetIndex != null) {
            return;
        }
        boolean missing = !openIndexes();
        try {
            if (missing && log.sizeInBytes() > 0) {
                throw new CorruptIndexException("index files of segment " + baseOffset + " are missing");
            }
            offsetIndex.sanityCheck(log.sizeInBytes());
            timeIndex.sanityCheck(log.sizeInBytes());
        } catch (CorruptIndexException e) {
            LOG.log(WARNING, "Rebuilding the indexes of segment {0} in {1}: {2}", baseOffset, dir, e.getMessage());
            rebuildIndexes();
        }
    }

    /** Maps both index files without checking them; returns false if either file was missing. */
    private boolean openIndexes() throws IOException {
        if (deleted) {
            throw new IllegalStateException("Segment " + baseOffset + " in " + dir + " was deleted");
        }
        Path offsetIndexFile = offsetIndexPath();
        Path timeIndexFile = timeIndexPath();
        boolean present = Files.exists(offsetIndexFile) && Files.exists(timeIndexFile);
        if (offsetIndex == null) {
            offsetIndex = new OffsetIndex(offsetIndexFile, baseOffset, maxIndexBytes);
            timeIndex = new TimeIndex(timeIndexFile, baseOffset, maxIndexBytes);
        }
        return present;
    }

    /**
     * Recreates both indexes from the log's batch headers, with no CRC check (as in Kafka, bytes
     * below the recovery point are not re-validated; reads check them). Indexing stops at the first
     * header that does not chain: the entries before it stay useful, and a read beyond it finds and
     * reports the damage.
     */
    private void rebuildIndexes() throws IOException {
        prepareIndexesForRebuild();
        int position = 0;
        long expectedBase = baseOffset;
        try {
            while (position < log.sizeInBytes()) {
                CorruptUnit unit = integrity.unitStartingAt(position);
                if (unit != null) {
                    bytesSinceLastIndexEntry += unit.sizeInBytes();
                    position = unit.endPosition();
                    expectedBase = unit.lastOffset() + 1;
                    continue;
                }
                FileChannelRecordBatch batch = batchAt(position);
                if (batch == null || batch.magic() != RecordBatch.MAGIC_VALUE_V2 || batch.baseOffset() != expectedBase
                    || !integrity.fitsSegment(batch.lastOffset())) {
                    LOG.log(WARNING, "{0}: the batch headers stop chaining at position {1}; indexed up to there",
                        log.file(), position);
                    break;
                }
                onBatchAppended(batch.lastOffset(), batch.maxTimestamp(), position, batch.sizeInBytes(), true);
                position += batch.sizeInBytes();
                expectedBase = batch.lastOffset() + 1;
            }
        } catch (KafkaException e) {
            SegmentIntegrity.rethrowIoFailure(e);
            LOG.log(WARNING, "{0}: indexed up to position {1}: {2}", log.file(), position, e.getMessage());
        }
        if (!active) {
            finishIndexes();
        }
    }

    private void prepareIndexesForRebuild() throws IOException {
        offsetIndex.resize(maxIndexBytes);
        timeIndex.resize(maxIndexBytes);
        offsetIndex.reset();
        timeIndex.reset();
        resetIndexingState();
    }

    private void resetIndexingState() {
        maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
        offsetOfMaxTimestampSoFar = baseOffset;
        bytesSinceLastIndexEntry = 0;
    }

    /**
     * Appends batches whose offsets are already assigned, in one write. The index pages they may
     * need are backed first, so after the write nothing can fail; if the write fails the file is
     * cut back to its previous size and the exception rethrown. If even that fails the segment is
     * inconsistent and {@link SegmentRollbackFailedException} tells the owner to take the log offline.
     */
    public void append(MemoryRecords records, long nowMs) throws IOException {
        List<BatchSummary> batches = summarize(records);
        ensureIndexesLoaded();
        loadMaxTimestamp();
        offsetIndex.reserve(batches.size());
        timeIndex.reserve(batches.size());
        int startPosition = log.sizeInBytes();
        try {
            log.append(records);
        } catch (IOException | RuntimeException e) {
            rollBackTo(startPosition, e);
            throw e;
        }
        if (startPosition == 0) {
            rollingBaseMs = nowMs;
        }
        integrity.markVerified(startPosition, startPosition + records.sizeInBytes()); // validated before the write
        int position = startPosition;
        for (BatchSummary batch : batches) {
            onBatchAppended(batch.lastOffset, batch.maxTimestampMs, position, batch.sizeInBytes, false);
            position += batch.sizeInBytes;
        }
    }

    private record BatchSummary(long lastOffset, long maxTimestampMs, int sizeInBytes) {
    }

    private static List<BatchSummary> summarize(MemoryRecords records) {
        List<BatchSummary> summaries = new ArrayList<>();
        for (MutableRecordBatch batch : records.batches()) {
            summaries.add(new BatchSummary(batch.lastOffset(), batch.maxTimestamp(), batch.sizeInBytes()));
        }
        return summaries;
    }

    private void rollBackTo(int position, Exception cause) throws SegmentRollbackFailedException {
        try {
            if (log.channel().size() > position || log.sizeInBytes() > position) {
                log.truncateTo(position);
            }
        } catch (IOException | RuntimeException e) {
            e.addSuppressed(cause);
            throw new SegmentRollbackFailedException("Could not cut segment " + log.file() + " back to "
                + position + " bytes after a failed append", e);
        }
    }

    /** Updates the max timestamp and adds index entries for one batch that now sits at {@code position}. */
    private void onBatchAppended(long lastOffset, long maxTimestampMs, int position, int sizeInBytes,
                                 boolean reserve) throws IOException {
        if (maxTimestampMs > maxTimestampSoFar) {
            maxTimestampSoFar = maxTimestampMs;
            offsetOfMaxTimestampSoFar = lastOffset;
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            if (reserve) {
                offsetIndex.reserve(1);
                timeIndex.reserve(1);
            }
            if (!offsetIndex.isFull()) {
                offsetIndex.append(lastOffset, position);
            }
            if (!timeIndex.isFull() && maxTimestampSoFar >= 0) {
                timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, false);
            }
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += sizeInBytes;
    }

    /**
     * The largest record timestamp in the segment ({@link RecordBatch#NO_TIMESTAMP} if none). After a
     * reopen it is the time index's last entry combined with the batches after that entry.
     */
    public long maxTimestampMs() throws IOException {
        loadMaxTimestamp();
        return maxTimestampSoFar;
    }

    /** The time retention compares: the max timestamp, or the file's mtime when there is none (as Kafka). */
    public long largestTimestampMs() throws IOException {
        long maxTimestampMs = maxTimestampMs();
        return maxTimestampMs >= 0 ? maxTimestampMs : Files.getLastModifiedTime(log.file().toPath()).toMillis();
    }

    private void loadMaxTimestamp() throws IOException {
        if (maxTimestampSoFar != UNKNOWN) {
            return;
        }
        ensureIndexesLoaded();
        if (maxTimestampSoFar != UNKNOWN) {
            return; // the indexes were just rebuilt, which computed it
        }
        TimestampOffset last = timeIndex.lastEntry();
        maxTimestampSoFar = last.timestampMs();
        offsetOfMaxTimestampSoFar = last.offset();
        int fromPosition = offsetIndex.lookup(last.offset()).position();
        try {
            for (FileChannelRecordBatch batch : log.batchesFrom(fromPosition)) {
                if (integrity.unitContaining(batch.position()) != null) {
                    break; // corrupt bytes: their header timestamps mean nothing
                }
                if (batch.maxTimestamp() > maxTimestampSoFar) {
                    maxTimestampSoFar = batch.maxTimestamp();
                    offsetOfMaxTimestampSoFar = batch.lastOffset();
                }
            }
        } catch (KafkaException e) {
            // a damaged header: keep what was found; a read of those offsets reports the damage
            SegmentIntegrity.rethrowIoFailure(e);
        }
    }

    /**
     * The batch holding {@code offset} (or the first after it), or the corrupt unit that should hold
     * it; null when the segment holds neither (see {@link BatchLocator}).
     */
    private BatchLocator.Located locate(long offset, long endOffset) throws IOException {
        return locator.locate(offset, offsetIndex().lookup(offset), endOffset);
    }

    /**
     * Whole batches starting with the one that holds {@code startOffset}: at most {@code maxBytes}
     * (but the first batch even if larger, when {@code minOneBatch}), and only batches whose last
     * offset is below {@code maxOffsetExclusive}. Null when the segment holds no batch at or after
     * {@code startOffset}. Batches not verified in this process yet are checked (CRC32C, offsets)
     * first; the slice ends before the first one that fails.
     *
     * @param endOffset the offset after this segment's last batch (the next segment's base offset, or the log end)
     * @throws CorruptUnitException when {@code startOffset} lies in corrupt bytes
     */
    public FileRecords read(long startOffset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch,
                            long endOffset) throws IOException {
        for (int attempt = 0; attempt <= SegmentIntegrity.MAX_UNITS; attempt++) {
            BatchLocator.Located located = locate(startOffset, endOffset);
            if (located == null) {
                return null;
            }
            if (located.unit() != null) {
                throw new CorruptUnitException(located.unit());
            }
            FileRecords slice = read(located.header(), startOffset, maxBytes, maxOffsetExclusive, minOneBatch,
                endOffset);
            if (slice != null) {
                return slice;
            }
            // the batch the walk arrived at was corrupt and its unit ends before startOffset: walk again
        }
        throw new CorruptRecordException("Segment " + log.file() + " has too many corrupt ranges to read offset "
            + startOffset);
    }

    /** The slice from {@code first}; null when {@code first} was corrupt but its unit does not hold startOffset. */
    private FileRecords read(BatchHeader first, long startOffset, int maxBytes, long maxOffsetExclusive,
                             boolean minOneBatch, long endOffset) throws IOException {
        // even a read that serves nothing checks the first batch: a damaged header must not pass for
        // "not committed yet" or "too large" and leave the reader waiting on it forever
        boolean servesNothing = first.lastOffset() >= maxOffsetExclusive || (first.sizeInBytes() > maxBytes && !minOneBatch);
        int sliceEnd = servesNothing || first.sizeInBytes() > maxBytes ? first.endPosition()
            : extend(first, maxBytes, maxOffsetExclusive);
        FileRecords checked = checkedSlice(first, sliceEnd, startOffset, endOffset);
        return checked == null || !servesNothing ? checked : log.slice(first.position(), 0);
    }

    /** The end of the run of chained batches after {@code first} that fits {@code maxBytes} and stays below the bound. */
    private int extend(BatchHeader first, int maxBytes, long maxOffsetExclusive) throws IOException {
        int endPosition = log.sizeInBytes();
        long limitPosition = (long) first.position() + maxBytes;
        int position = first.endPosition();
        long expectedBase = first.lastOffset() + 1;
        BatchHeader next;
        while (integrity.unitStartingAt(position) == null
            && (next = integrity.headerOrNull(position, endPosition)) != null && next.baseOffset() == expectedBase
            && next.lastOffset() < maxOffsetExclusive && next.endPosition() <= limitPosition) {
            position = next.endPosition();
            expectedBase = next.lastOffset() + 1;
        }
        return position;
    }

    /**
     * The intact prefix of {@code [first, end)}; when even the first batch fails, its corrupt unit is
     * thrown (or null returned when that unit ends before {@code startOffset}).
     */
    private FileRecords checkedSlice(BatchHeader first, int end, long startOffset, long endOffset) throws IOException {
        SegmentIntegrity.Checked checked = integrity.check(first.position(), end, first.baseOffset());
        if (checked.intactEnd() > first.position()) {
            return log.slice(first.position(), checked.intactEnd() - first.position());
        }
        CorruptUnit unit = integrity.locate(first.position(), true, checked.problem(), endOffset);
        if (unit == null) {
            throw new CorruptRecordException("The batch at position " + first.position() + " of " + log.file()
                + " is corrupt: " + checked.problem());
        }
        if (unit.lastOffset() < startOffset) {
            return null; // its damaged header claimed offsets it does not hold
        }
        throw new CorruptUnitException(unit);
    }

    /** The first record at or after {@code startingOffset} whose timestamp is {@code >= timestampMs}. */
    public Optional<TimestampAndOffset> findOffsetByTimestamp(long timestampMs, long startingOffset) throws IOException {
        TimestampOffset before = timeIndex().lookupBefore(timestampMs);
        int position = offsetIndex().lookup(Math.max(before.offset(), startingOffset)).position();
        for (FileChannelRecordBatch batch : log.batchesFrom(position)) {
            throwIfCorrupt(batch); // its timestamps decide the answer: damaged ones must not
            if (batch.maxTimestamp() < timestampMs || batch.lastOffset() < startingOffset) {
                continue;
            }
            for (Record record : batch) {
                if (record.timestamp() >= timestampMs && record.offset() >= startingOffset) {
                    int epoch = batch.partitionLeaderEpoch();
                    return Optional.of(new TimestampAndOffset(record.timestamp(), record.offset(),
                        epoch == RecordBatch.NO_PARTITION_LEADER_EPOCH ? Optional.empty() : Optional.of(epoch)));
                }
            }
        }
        return Optional.empty();
    }

    /** Checks a batch a scan is about to use, unless verified already in this process. */
    private void throwIfCorrupt(FileChannelRecordBatch batch) {
        int start = batch.position();
        int end = start + batch.sizeInBytes();
        CorruptUnit unit = integrity.unitContaining(start);
        if (unit != null) {
            throw new CorruptUnitException(unit);
        }
        if (!integrity.isVerified(start, end)) {
            String problem = integrity.problemOf(batch, SegmentIntegrity.UNKNOWN_OFFSET);
            if (problem != null) {
                throw new CorruptRecordException("The batch at position " + start + " of " + log.file()
                    + " is corrupt: " + problem);
            }
            integrity.markVerified(start, end);
        }
    }

    /**
     * Brings the segment back after a crash and rebuilds its indexes. Batches whose base offset is
     * below {@code recoveryPoint} were fsynced: they are walked by their headers only and never cut;
     * damage among them that breaks the header chain becomes a corrupt unit (see
     * {@link SegmentIntegrity}) and the walk goes on after it. The batches from the recovery point on
     * are re-validated (magic, CRC, lengths, offsets contiguous) and the file is cut at the first
     * partial or invalid one: those bytes were never flushed.
     *
     * @return the number of bytes cut off (0 when nothing was cut)
     */
    public int recover(long recoveryPoint) throws IOException {
        openIndexes(); // no sanity check: they are rebuilt below
        prepareIndexesForRebuild();
        integrity.clear();
        long[] walked = walkFlushedBatches(recoveryPoint);
        int validatedFrom = (int) walked[0];
        long nextOffset = walked[1];
        int validBytes = validatedFrom;
        String problem = "a partial batch at the end";
        try {
            for (FileChannelRecordBatch batch : log.batchesFrom(validatedFrom)) {
                nextOffset = validateRecoveredBatch(batch, nextOffset);
                onBatchAppended(batch.lastOffset(), batch.maxTimestamp(), batch.position(), batch.sizeInBytes(), true);
                validBytes += batch.sizeInBytes();
            }
        } catch (CorruptRecordException | InvalidRecordException e) {
            problem = e.getMessage();
        } catch (KafkaException e) {
            SegmentIntegrity.rethrowIoFailure(e);
            problem = e.toString();
        }
        int truncatedBytes = log.sizeInBytes() - validBytes;
        if (truncatedBytes > 0) {
            LOG.log(WARNING, "Recovery of {0}: truncating {1} bytes at position {2} (offsets from {3} on) because of {4}",
                log.file(), truncatedBytes, validBytes, nextOffset, problem);
            log.truncateTo(validBytes);
        }
        integrity.markVerified(validatedFrom, validBytes);
        if (validBytes == 0) {
            rollingBaseMs = -1L;
        }
        return truncatedBytes;
    }

    /**
     * Indexes the batches below the recovery point by their headers (no CRC), stepping over damage
     * as corrupt units. A flushed batch never crosses the recovery point (it is a batch boundary), so
     * the walk must end exactly on it; when the chain breaks (there, or earlier) right after a batch
     * that fails its CRC, that batch's length is what lied and the unit starts at it.
     *
     * @return {position where the unflushed batches start, the offset they start at}
     */
    private long[] walkFlushedBatches(long recoveryPoint) throws IOException {
        int size = log.sizeInBytes();
        int position = 0;
        long nextOffset = baseOffset;
        FileChannelRecordBatch previous = null;
        while (position < size && nextOffset <= recoveryPoint) {
            if (nextOffset == recoveryPoint) {
                BatchHeader next = integrity.headerOrNull(position, size);
                if (previous == null || next == null && size - position < DefaultRecordBatch.RECORD_BATCH_OVERHEAD
                    || next != null && next.baseOffset() == nextOffset) {
                    break; // the unflushed batches follow (or only a torn tail does): recovery validates them
                }
            } else {
                FileChannelRecordBatch batch = batchAt(position);
                if (batch != null && batch.magic() == RecordBatch.MAGIC_VALUE_V2 && batch.baseOffset() == nextOffset
                    && integrity.fitsSegment(batch.lastOffset()) && batch.lastOffset() < recoveryPoint) {
                    onBatchAppended(batch.lastOffset(), batch.maxTimestamp(), position, batch.sizeInBytes(), true);
                    position += batch.sizeInBytes();
                    nextOffset = batch.lastOffset() + 1;
                    previous = batch;
                    continue;
                }
            }
            if (previous != null && integrity.problemOf(previous, previous.baseOffset()) != null) {
                // the chain broke after a batch that fails its CRC: its length is what lied
                position = previous.position();
                nextOffset = previous.baseOffset();
                offsetIndex.truncateTo(nextOffset);
                timeIndex.truncateTo(nextOffset);
            } else if (nextOffset == recoveryPoint) {
                break; // the flushed batches are intact: what follows is unflushed, and validated
            }
            previous = null;
            // when no intact batch follows, the damaged bytes run to the end of the file and hold the
            // offsets up to the recovery point: kept and reported, not cut
            CorruptUnit unit = integrity.resyncAndRegister(position, nextOffset, recoveryPoint,
                "damaged batch below the recovery point " + recoveryPoint);
            if (unit == null) {
                break;
            }
            bytesSinceLastIndexEntry += unit.sizeInBytes();
            position = unit.endPosition();
            nextOffset = unit.lastOffset() + 1;
        }
        return new long[] {position, nextOffset};
    }

    /** The batch starting at {@code position}, or null when no whole batch starts there. */
    private FileChannelRecordBatch batchAt(int position) throws IOException {
        try {
            Iterator<FileChannelRecordBatch> batches = log.batchesFrom(position).iterator();
            return batches.hasNext() ? batches.next() : null;
        } catch (KafkaException e) {
            SegmentIntegrity.rethrowIoFailure(e);
            return null;
        }
    }

    private long validateRecoveredBatch(FileChannelRecordBatch batch, long expectedBaseOffset) {
        if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
            throw new CorruptRecordException("batch at position " + batch.position() + " has magic " + batch.magic());
        }
        batch.ensureValid();
        if (batch.baseOffset() != expectedBaseOffset || batch.lastOffset() < batch.baseOffset()
            || batch.lastOffset() - baseOffset > Integer.MAX_VALUE) {
            throw new CorruptRecordException("batch at position " + batch.position() + " holds offsets "
                + batch.baseOffset() + ".." + batch.lastOffset() + " but " + expectedBaseOffset + " was expected next");
        }
        Integer count = batch.countOrNull();
        // a compacted batch may hold fewer records than offsets, even none (see Cleaner)
        if (count == null || count < 0 || count - 1 > batch.lastOffset() - batch.baseOffset()) {
            throw new CorruptRecordException("batch at position " + batch.position() + " has record count " + count);
        }
        return batch.lastOffset() + 1;
    }

    /** The offset after the last batch, and where the last whole batch ends; see {@link TailScan}. */
    public TailScan scanTail() throws IOException {
        int position = offsetIndex().lastEntry().position();
        CorruptUnit inside = integrity.unitContaining(position);
        if (inside != null) {
            position = inside.position();
        }
        ByteBuffer scratch = BatchHeader.newScratch();
        int endPosition = log.sizeInBytes();
        long nextOffset = baseOffset;
        while (position < endPosition) {
            CorruptUnit unit = integrity.unitStartingAt(position);
            if (unit != null) {
                nextOffset = unit.lastOffset() + 1;
                position = unit.endPosition();
                continue;
            }
            BatchHeader header = BatchHeader.read(log.channel(), position, endPosition, scratch);
            if (header == null) {
                break;
            }
            nextOffset = header.lastOffset() + 1;
            position = header.endPosition();
        }
        return new TailScan(nextOffset, position, endPosition);
    }

    /** Result of {@link #scanTail()}: the log is consistent when {@code validEndPosition == sizeInBytes}. */
    public record TailScan(long nextOffset, int validEndPosition, int sizeInBytes) {
        public boolean consistent() {
            return validEndPosition == sizeInBytes;
        }
    }

    /** The offset after the segment's last batch (the base offset when empty). */
    public long readNextOffset() throws IOException {
        return scanTail().nextOffset();
    }

    /**
     * Removes the batch (or corrupt unit) holding {@code offset} and everything after it.
     *
     * @param endOffset the offset after this segment's last batch
     * @return bytes removed
     */
    public int truncateTo(long offset, long endOffset) throws IOException {
        BatchLocator.Located at = locate(offset, endOffset);
        if (at == null) {
            return 0;
        }
        int position = at.unit() != null ? at.unit().position() : at.header().position();
        long firstRemoved = at.unit() != null ? at.unit().firstOffset() : at.header().baseOffset();
        offsetIndex.truncateTo(firstRemoved);
        timeIndex.truncateTo(firstRemoved);
        int removedBytes = log.truncateTo(position);
        integrity.forgetFrom(position);
        maxTimestampSoFar = UNKNOWN;
        bytesSinceLastIndexEntry = 0;
        if (log.sizeInBytes() == 0) {
            rollingBaseMs = -1L;
        }
        return removedBytes;
    }

    // ---------------------------------------------------------------- corruption found in this process

    /** The corrupt units found in this segment and not repaired, by position. */
    public List<CorruptUnit> corruptUnits() {
        return integrity.units();
    }

    /** The corrupt unit that should hold {@code offset}, or null. */
    public CorruptUnit corruptUnitHolding(long offset) {
        return integrity.unitHolding(offset);
    }

    /**
     * Writes a replica's copy over a corrupt unit and fsyncs the file. The caller has validated that
     * {@code bytes} are intact batches for exactly the unit's offsets and size.
     */
    public void replaceCorruptUnit(CorruptUnit unit, ByteBuffer bytes) throws IOException {
        integrity.replace(unit, bytes);
    }

    /**
     * Whether the next append must go to a new segment: this one is non-empty and the append would
     * overflow {@code segment.bytes} or the relative offset range, an index is full, or the segment
     * is older than {@code segment.ms}.
     */
    public boolean shouldRoll(int appendBytes, long appendLastOffset, long nowMs, long segmentMs, int segmentBytes)
        throws IOException {
        if (log.sizeInBytes() == 0) {
            return false;
        }
        return !canFit(appendBytes, appendLastOffset, segmentBytes)
            || offsetIndex().isFull() || timeIndex().isFull()
            || (rollingBaseMs >= 0 && nowMs - rollingBaseMs > segmentMs);
    }

    /** Whether {@code appendBytes} more bytes ending at {@code appendLastOffset} fit this segment. */
    public boolean canFit(long appendBytes, long appendLastOffset, int segmentBytes) {
        return log.sizeInBytes() <= segmentBytes - appendBytes && appendLastOffset - baseOffset <= Integer.MAX_VALUE;
    }

    /** Makes this the segment appends go to: its indexes are loaded and preallocated. */
    public void makeActive() throws IOException {
        active = true;
        ensureIndexesLoaded();
        offsetIndex.resize(maxIndexBytes);
        timeIndex.resize(maxIndexBytes);
        loadMaxTimestamp();
    }

    /** Called on roll: records the final time index entry and trims both indexes. */
    public void makeInactive() throws IOException {
        active = false;
        if (offsetIndex != null) {
            finishIndexes();
        }
    }

    private void finishIndexes() throws IOException {
        loadMaxTimestamp();
        if (maxTimestampSoFar >= 0) {
            try {
                timeIndex.reserve(1);
                timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, true);
            } catch (IOException e) {
                // only a shortcut: loadMaxTimestamp() finds the same value by scanning the log tail
                LOG.log(WARNING, "Could not write the final time index entry of segment {0} in {1}: {2}",
                    baseOffset, dir, e.getMessage());
            }
        }
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    /** fsyncs the log and the index pages. */
    public void flush() throws IOException {
        log.flush();
        if (offsetIndex != null) {
            offsetIndex.flush();
            timeIndex.flush();
        }
    }

    /**
     * Renames the files to {@code *.deleted} and releases the indexes; the log channel stays open
     * so that slices already handed to readers remain valid until {@link #deleteFiles()}.
     */
    public void renameForDeletion() throws IOException {
        if (offsetIndex != null) {
            offsetIndex.closeWithoutTrim();
            timeIndex.closeWithoutTrim();
        }
        deleted = true;
        log.renameTo(withDeletedSuffix(log.file().toPath()).toFile());
        renameIfExists(offsetIndexPath());
        renameIfExists(timeIndexPath());
    }

    private Path offsetIndexPath() {
        return LogFiles.withSuffix(LogFiles.offsetIndexFile(dir, baseOffset), fileSuffix);
    }

    private Path timeIndexPath() {
        return LogFiles.withSuffix(LogFiles.timeIndexFile(dir, baseOffset), fileSuffix);
    }

    /**
     * Renames the three files from the current suffix to {@code newSuffix} (Kafka's
     * {@code changeFileSuffixes}): the indexes first (closed, reopened lazily under the new names),
     * then the {@code .log}, whose new name is the step's commit point for recovery. The caller
     * fsyncs the directory.
     */
    public void changeFileSuffix(String newSuffix) throws IOException {
        if (offsetIndex != null) {
            offsetIndex.close();
            timeIndex.close();
            offsetIndex = null;
            timeIndex = null;
        }
        Path offsetIndexFrom = offsetIndexPath();
        Path timeIndexFrom = timeIndexPath();
        String oldSuffix = fileSuffix;
        fileSuffix = newSuffix;
        moveIfExists(offsetIndexFrom, offsetIndexPath());
        moveIfExists(timeIndexFrom, timeIndexPath());
        log.renameTo(LogFiles.withSuffix(LogFiles.logFile(dir, baseOffset), newSuffix).toFile());
        if (!oldSuffix.equals(newSuffix)) {
            LOG.log(System.Logger.Level.DEBUG, "Segment {0} in {1}: {2} -> {3}", baseOffset, dir, oldSuffix, newSuffix);
        }
    }

    private static void moveIfExists(Path from, Path to) throws IOException {
        if (Files.exists(from)) {
            LogFiles.atomicMove(from, to);
        }
    }

    private static void renameIfExists(Path file) throws IOException {
        if (Files.exists(file)) {
            LogFiles.atomicMove(file, withDeletedSuffix(file));
        }
    }

    private static Path withDeletedSuffix(Path file) {
        return file.resolveSibling(file.getFileName() + LogFiles.DELETED_SUFFIX);
    }

    /** Closes the channel and deletes the files (under whichever names they have now). */
    public void deleteFiles() throws IOException {
        if (!deleted && offsetIndex != null) {
            offsetIndex.closeWithoutTrim();
            timeIndex.closeWithoutTrim();
        }
        log.channel().close();
        Files.deleteIfExists(log.file().toPath());
        for (Path file : List.of(offsetIndexPath(), timeIndexPath())) {
            Files.deleteIfExists(deleted ? withDeletedSuffix(file) : file);
        }
        deleted = true;
    }

    /** Writes the final time index entry, trims the indexes and closes (flushing) the log file. */
    @Override
    public void close() throws IOException {
        if (deleted) {
            log.channel().close();
            return;
        }
        if (offsetIndex != null) {
            finishIndexes();
            offsetIndex.close();
            timeIndex.close();
        }
        log.close();
    }

    /** Closes without flushing or trimming (after an I/O failure, or to simulate a crash in tests). */
    public void closeHandlers() throws IOException {
        if (offsetIndex != null && !deleted) {
            offsetIndex.closeWithoutTrim();
            timeIndex.closeWithoutTrim();
        }
        log.channel().close();
    }

    @Override
    public String toString() {
        return "LogSegment(baseOffset=" + baseOffset + ", size=" + log.sizeInBytes() + ", active=" + active + ")";
    }
}
