package io.brook.storage.internals;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecords.FilterResult;
import org.apache.kafka.common.record.internal.MemoryRecords.RecordFilter;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.ByteBufferOutputStream;
import org.apache.kafka.common.utils.internals.CloseableIterator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * One round of log compaction over the closed segments of one log, as Kafka's {@code Cleaner}:
 *
 * <ol>
 *   <li><b>Map</b> the dirty segments (from the first dirty offset up to the round's limit, whole
 *       segments only) into the dedupe buffer ({@link KeyOffsets}): key to its latest offset. Mapping stops before a
 *       segment that might not fit; the round then ends there.</li>
 *   <li><b>Group</b> every segment from the log start to the end of the mapped ones into groups
 *       of at most {@code segment.bytes} (and an index that fits {@code segment.index.bytes}, and
 *       relative offsets that fit an int): Kafka's {@code groupSegmentsBySize}.</li>
 *   <li><b>Clean</b> each group into one new segment named after its first one, under
 *       {@code .cleaned} names, with kafka-clients' {@code MemoryRecords.filterTo}: a record stays
 *       if it has a key, no later offset of the dirty section holds that key, and it has a value or
 *       is a tombstone whose batch's delete horizon has not passed. filterTo keeps each batch's
 *       header (base and last offset, leader epoch, producer fields) and stamps a delete horizon
 *       ({@code now + delete.retention.ms}) into a batch the first time it keeps a tombstone in it.
 *       Indexes are built as the batches are written; then the segment is fsynced.</li>
 *   <li><b>Swap</b> it in ({@link LocalLog#replaceSegments}): {@code .cleaned} to {@code .swap}
 *       (the commit point), the old segments renamed {@code .deleted}, {@code .swap} to the plain
 *       names. {@link LogLoader} completes or discards a swap a crash interrupted.</li>
 * </ol>
 *
 * <p><b>Where Brook differs from Kafka:</b> a batch whose records are all removed is not dropped
 * but replaced, together with the removed batches right after it of the same leader epoch, by one
 * empty batch header (61 bytes, no records) spanning their offsets, the way Kafka keeps an empty
 * batch for producer state ({@code RETAIN_EMPTY}). So the batch chain of every segment stays
 * contiguous (every batch starts right after the previous one), which the corruption checks of
 * {@link SegmentIntegrity} and {@link BatchLocator} rely on, followers copy the same chain, and a
 * segment ends at the same offset as before. The cost is bounded: at most one such header between
 * two kept batches. Records get offset gaps as in Kafka; a read at a removed offset returns the
 * batch covering it (possibly empty) and the ones after it. Batches are checked (CRC32C, chain)
 * before they are used: the cleaner never launders corrupt bytes into a valid batch.
 *
 * <p><b>Each producer's last batch stays</b> (Kafka's {@code isBatchLastRecordOfProducer}): the newest
 * batch of every producer the log's state knows is kept even when all its records are removed, as an
 * empty header with its own producer id, epoch, sequence range and offsets ({@code filterTo} with
 * {@code RETAIN_EMPTY}), so that a rebuild of the producer state from the log (an open without a
 * snapshot, a new replica copying the log) still knows the producer's epoch and last sequence and
 * recognises a retry of that batch. The producer's older emptied batches become fillers as above.
 *
 * <p>Not thread-safe: runs on the log's owner thread, which also performs the swap.
 */
public final class Cleaner {

    private static final System.Logger LOG = System.getLogger(Cleaner.class.getName());
    /** The larger of the two index entries (the time index's): what a group's index must hold. */
    private static final int TIME_INDEX_ENTRY_BYTES = 12;

    /** What a round changes: its end (the next round's first dirty offset) and what it did. */
    public record Result(long endOffset, int groupsCleaned, long bytesRead, long bytesWritten, long recordsRead,
                         long recordsKept, long earliestDeleteHorizonMs) {
        static Result nothing(long firstDirtyOffset) {
            return new Result(firstDirtyOffset, 0, 0, 0, 0, 0, Long.MAX_VALUE);
        }
    }

    /** The topic settings one round uses. */
    public record Settings(int segmentBytes, int maxIndexBytes, int indexIntervalBytes, int maxMessageBytes,
                           long deleteRetentionMs, long fileDeleteDelayMs) {
    }

    private final Path dir;
    private final LocalLog log;
    private final KeyOffsets map;
    private final SegmentFileFactory files;
    private final Settings settings;
    private final long nowMs;
    private final LocalLog.SwapListener swapListener;
    /** Producer id to the last offset of its newest batch: those batches keep their header. */
    private final Map<Long, Long> lastBatchOfProducer;
    private ByteBuffer readBuffer;
    private long bytesRead;
    private long bytesWritten;
    private long recordsRead;
    private long recordsKept;
    private long earliestDeleteHorizonMs = Long.MAX_VALUE;

    public Cleaner(Path dir, LocalLog log, KeyOffsets map, int ioBufferBytes, SegmentFileFactory files, Settings settings,
                   long nowMs, LocalLog.SwapListener swapListener, Map<Long, Long> lastBatchOfProducer) {
        this.dir = dir;
        this.log = log;
        this.map = map;
        this.files = files;
        this.settings = settings;
        this.nowMs = nowMs;
        this.swapListener = swapListener;
        this.lastBatchOfProducer = Map.copyOf(lastBatchOfProducer);
        this.readBuffer = ByteBuffer.allocate(Math.max(ioBufferBytes, DefaultRecordBatch.RECORD_BATCH_OVERHEAD));
    }

    /**
     * Cleans the closed segments that end at or below {@code limit}: maps those from
     * {@code firstDirtyOffset} on, then rewrites everything before the end of the mapped ones. With
     * {@code force}, a round with nothing dirty still rewrites the clean segments (to remove
     * tombstones whose delete horizon has passed).
     *
     * @throws IOException            on an I/O error before or during a swap (the caller takes the log offline)
     * @throws CorruptRecordException when a batch to clean fails its CRC or the chain; nothing is swapped
     * @throws IllegalStateException  when the first dirty segment alone has more keys than the map holds
     */
    public Result clean(long firstDirtyOffset, long limit, boolean force) throws IOException {
        List<LogSegment> cleanable = new ArrayList<>();
        for (LogSegment segment : log.inactiveSegments()) {
            if (log.segmentEnd(segment) > limit) {
                break;
            }
            cleanable.add(segment);
        }
        long endOffset = mapDirtySegments(cleanable, firstDirtyOffset);
        if (endOffset <= firstDirtyOffset && !force) {
            return Result.nothing(firstDirtyOffset);
        }
        endOffset = Math.max(endOffset, firstDirtyOffset);
        List<LogSegment> toClean = new ArrayList<>();
        for (LogSegment segment : cleanable) {
            if (log.segmentEnd(segment) <= endOffset) {
                toClean.add(segment);
            }
        }
        List<List<LogSegment>> groups = groupBySize(toClean);
        for (List<LogSegment> group : groups) {
            cleanGroup(group);
        }
        LOG.log(INFO, "{0}: cleaned {1} segment(s) in {2} group(s) up to offset {3}: {4} -> {5} bytes, {6} of {7} "
            + "records kept", dir, toClean.size(), groups.size(), Long.toString(endOffset), bytesRead, bytesWritten,
            recordsKept, recordsRead);
        return new Result(endOffset, groups.size(), bytesRead, bytesWritten, recordsRead, recordsKept,
            earliestDeleteHorizonMs);
    }

    // ---------------------------------------------------------------- map

    /** Maps whole dirty segments while they fit; returns the end of the last one mapped. */
    private long mapDirtySegments(List<LogSegment> cleanable, long firstDirtyOffset) throws IOException {
        map.clear();
        long endOffset = firstDirtyOffset;
        int mapped = 0;
        for (LogSegment segment : cleanable) {
            long segmentEnd = log.segmentEnd(segment);
            if (segmentEnd <= firstDirtyOffset) {
                continue;
            }
            long mostKeys = segmentEnd - Math.max(segment.baseOffset(), firstDirtyOffset);
            if (mapped > 0 && map.size() + mostKeys > map.maxEntries()) {
                break; // the next round starts here
            }
            try {
                mapSegment(segment, firstDirtyOffset);
            } catch (IllegalStateException full) {
                throw new IllegalStateException("The cleaner's offset map (" + map.maxEntries() + " keys) cannot hold "
                    + "the keys of segment " + segment.baseOffset() + " of " + dir + "; raise "
                    + "log.cleaner.dedupe.buffer.size", full);
            }
            endOffset = segmentEnd;
            mapped++;
        }
        return endOffset;
    }

    private void mapSegment(LogSegment segment, long firstDirtyOffset) throws IOException {
        int position = segment.offsetIndex().lookup(Math.max(firstDirtyOffset, segment.baseOffset())).position();
        try {
            for (FileChannelRecordBatch batch : segment.log().batchesFrom(position)) {
                if (batch.lastOffset() < firstDirtyOffset) {
                    continue;
                }
                throwIfCorrupt(batch, segment);
                try (CloseableIterator<Record> records = batch.streamingIterator(BufferSupplier.NO_CACHING)) {
                    while (records.hasNext()) {
                        Record record = records.next();
                        if (record.hasKey() && record.offset() >= firstDirtyOffset) {
                            map.put(record.key(), record.offset());
                        }
                    }
                }
            }
        } catch (KafkaException e) {
            SegmentIntegrity.rethrowIoFailure(e);
            throw new CorruptRecordException("Segment " + segment.baseOffset() + " of " + dir + " cannot be mapped: " + e, e);
        }
    }

    private void throwIfCorrupt(RecordBatch batch, LogSegment segment) {
        if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
            throw new CorruptRecordException("Segment " + segment.baseOffset() + " of " + dir + ": batch at offset "
                + batch.baseOffset() + " has magic " + batch.magic());
        }
        batch.ensureValid();
    }

    // ---------------------------------------------------------------- group

    /**
     * Kafka's {@code groupSegmentsBySize}: consecutive segments whose logs add up to at most
     * {@code segment.bytes}, whose index entries fit {@code segment.index.bytes}, whose offsets fit
     * the new segment's 32-bit relative offsets, and that follow each other without a gap.
     */
    List<List<LogSegment>> groupBySize(List<LogSegment> segments) throws IOException {
        List<List<LogSegment>> groups = new ArrayList<>();
        int next = 0;
        while (next < segments.size()) {
            List<LogSegment> group = new ArrayList<>();
            LogSegment first = segments.get(next++);
            group.add(first);
            long logBytes = first.sizeInBytes();
            while (next < segments.size()) {
                LogSegment candidate = segments.get(next);
                long bytes = logBytes + candidate.sizeInBytes();
                long indexEntries = bytes / Math.max(1, settings.indexIntervalBytes()) + 2;
                boolean fits = bytes <= settings.segmentBytes()
                    && indexEntries * TIME_INDEX_ENTRY_BYTES <= settings.maxIndexBytes()
                    && log.segmentEnd(candidate) - 1 - first.baseOffset() <= Integer.MAX_VALUE
                    && group.get(group.size() - 1).readNextOffset() == candidate.baseOffset();
                if (!fits) {
                    break;
                }
                group.add(candidate);
                logBytes = bytes;
                next++;
            }
            groups.add(group);
        }
        return groups;
    }

    // ---------------------------------------------------------------- clean

    private void cleanGroup(List<LogSegment> group) throws IOException {
        LogSegment cleaned = LogSegment.createCleaned(dir, group.get(0).baseOffset(), settings.indexIntervalBytes(),
            settings.maxIndexBytes(), files);
        try {
            Output output = new Output(cleaned);
            for (LogSegment segment : group) {
                cleanInto(segment, output);
            }
            output.writeFiller();
            cleaned.makeInactive();
            cleaned.flush();
        } catch (IOException | RuntimeException e) {
            try {
                cleaned.deleteFiles();
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup); // the next load removes *.cleaned anyway
            }
            throw e;
        }
        log.replaceSegments(cleaned, group, nowMs, settings.fileDeleteDelayMs(), swapListener);
    }

    private void cleanInto(LogSegment segment, Output output) throws IOException {
        RecordFilter filter = new CleanerFilter(nowMs, settings.deleteRetentionMs());
        int position = 0;
        long expectedOffset = segment.baseOffset();
        while (position < segment.sizeInBytes()) {
            readBuffer.clear();
            segment.log().readInto(readBuffer, position);
            MemoryRecords source = MemoryRecords.readableRecords(readBuffer);
            List<MutableRecordBatch> batches = new ArrayList<>();
            for (MutableRecordBatch batch : source.batches()) {
                throwIfCorrupt(batch, segment);
                if (batch.baseOffset() != expectedOffset + batchesOffsetSpan(batches)) {
                    throw new CorruptRecordException("Segment " + segment.baseOffset() + " of " + dir + ": the batch at "
                        + "offset " + batch.baseOffset() + " does not follow the one before it; not cleaning the log");
                }
                batches.add(batch);
            }
            if (batches.isEmpty()) {
                growReadBuffer(source, segment, position);
                continue;
            }
            FilterResult result = source.filterTo(filter, ByteBuffer.allocate(readBuffer.capacity()),
                BufferSupplier.NO_CACHING, settings.maxMessageBytes());
            ByteBuffer kept = result.outputBuffer();
            kept.flip();
            int consumed = output.write(batches, result.bytesRead(), MemoryRecords.readableRecords(kept));
            expectedOffset = batches.get(consumed - 1).lastOffset() + 1;
            position += result.bytesRead();
            bytesRead += result.bytesRead();
            recordsRead += result.messagesRead();
            recordsKept += result.messagesRetained();
        }
    }

    /** The offsets the batches already accepted in this chunk cover. */
    private static long batchesOffsetSpan(List<MutableRecordBatch> batches) {
        return batches.isEmpty() ? 0 : batches.get(batches.size() - 1).lastOffset() + 1 - batches.get(0).baseOffset();
    }

    /** Not even one whole batch fit the read buffer: grow it to the next batch's size (Kafka's growBuffersOrFail). */
    private void growReadBuffer(MemoryRecords source, LogSegment segment, int position) {
        Integer nextBatchSize = source.firstBatchSize();
        if (nextBatchSize == null || nextBatchSize <= readBuffer.capacity()
            || nextBatchSize > segment.sizeInBytes() - position) {
            throw new CorruptRecordException("Segment " + segment.baseOffset() + " of " + dir + ": no whole batch at "
                + "position " + position + " (size " + nextBatchSize + "); not cleaning the log");
        }
        LOG.log(WARNING, "{0}: growing the cleaner''s read buffer to {1} bytes for a large batch", dir, nextBatchSize);
        readBuffer = ByteBuffer.allocate(nextBatchSize);
    }

    /** Kafka's cleaner filter: the latest record of each key, tombstones until their batch's delete horizon. */
    private final class CleanerFilter extends RecordFilter {
        CleanerFilter(long currentTimeMs, long deleteRetentionMs) {
            super(currentTimeMs, deleteRetentionMs);
        }

        @Override
        protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
            // a producer's newest batch keeps its header, else the producer state could not be rebuilt
            // from the log; any other emptied batch is dropped here and covered by a filler (see Output)
            boolean lastOfProducer = batch.hasProducerId()
                && Long.valueOf(batch.lastOffset()).equals(lastBatchOfProducer.get(batch.producerId()));
            return new BatchRetentionResult(lastOfProducer ? BatchRetention.RETAIN_EMPTY : BatchRetention.DELETE_EMPTY,
                false);
        }

        @Override
        protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
            if (!record.hasKey()) {
                return false; // a compacted log has no use for them (Kafka drops them too)
            }
            if (map.get(record.key()) > record.offset()) {
                return false; // a later record of the dirty section holds this key
            }
            return record.hasValue() || batch.deleteHorizonMs().isEmpty() || currentTime < batch.deleteHorizonMs().getAsLong();
        }
    }

    /**
     * Writes kept batches to the cleaned segment, and one empty batch in place of each run of
     * removed batches of one leader epoch, so the chain stays contiguous.
     */
    private final class Output {
        private final LogSegment cleaned;
        private long fillerBase = -1;
        private long fillerLast;
        private int fillerEpoch;
        private long fillerMaxTimestamp;
        private final ByteBufferOutputStream pending = new ByteBufferOutputStream(DefaultRecordBatch.RECORD_BATCH_OVERHEAD);

        Output(LogSegment cleaned) {
            this.cleaned = cleaned;
        }

        /**
         * Writes the outcome of one filterTo call: {@code kept} are the batches it kept, in order,
         * out of the first {@code bytesConsumed} bytes of {@code batches}.
         *
         * @return how many of {@code batches} were consumed
         */
        int write(List<MutableRecordBatch> batches, int bytesConsumed, MemoryRecords kept) throws IOException {
            List<MutableRecordBatch> keptBatches = new ArrayList<>();
            kept.batches().forEach(keptBatches::add);
            int nextKept = 0;
            int consumedBytes = 0;
            int consumed = 0;
            ByteBufferOutputStream out = new ByteBufferOutputStream(kept.sizeInBytes() + 2 * DefaultRecordBatch.RECORD_BATCH_OVERHEAD);
            while (consumed < batches.size() && consumedBytes < bytesConsumed) {
                MutableRecordBatch batch = batches.get(consumed);
                if (nextKept < keptBatches.size() && keptBatches.get(nextKept).baseOffset() == batch.baseOffset()) {
                    MutableRecordBatch keep = keptBatches.get(nextKept++);
                    writeFillerTo(out);
                    keep.writeTo(out);
                    if (keep.deleteHorizonMs().isPresent()) {
                        earliestDeleteHorizonMs = Math.min(earliestDeleteHorizonMs, keep.deleteHorizonMs().getAsLong());
                    }
                } else {
                    extendFiller(batch, out);
                }
                consumedBytes += batch.sizeInBytes();
                consumed++;
            }
            if (nextKept != keptBatches.size()) {
                throw new IllegalStateException("filterTo kept a batch the cleaner did not read: " + keptBatches.get(nextKept));
            }
            append(out);
            return consumed;
        }

        private void extendFiller(MutableRecordBatch removed, ByteBufferOutputStream out) {
            if (fillerBase >= 0 && fillerEpoch == removed.partitionLeaderEpoch() && fillerLast + 1 == removed.baseOffset()
                && removed.lastOffset() - fillerBase <= Integer.MAX_VALUE) {
                fillerLast = removed.lastOffset();
                fillerMaxTimestamp = Math.max(fillerMaxTimestamp, removed.maxTimestamp());
                return;
            }
            writeFillerTo(out);
            fillerBase = removed.baseOffset();
            fillerLast = removed.lastOffset();
            fillerEpoch = removed.partitionLeaderEpoch();
            fillerMaxTimestamp = removed.maxTimestamp();
        }

        private void writeFillerTo(ByteBufferOutputStream out) {
            if (fillerBase < 0) {
                return;
            }
            out.ensureRemaining(DefaultRecordBatch.RECORD_BATCH_OVERHEAD);
            DefaultRecordBatch.writeEmptyHeader(out.buffer(), RecordBatch.MAGIC_VALUE_V2, RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, fillerBase, fillerLast, fillerEpoch,
                TimestampType.CREATE_TIME, fillerMaxTimestamp, false, false);
            fillerBase = -1;
        }

        /** Writes the filler still pending at the end of a group. */
        void writeFiller() throws IOException {
            pending.position(0);
            writeFillerTo(pending);
            append(pending);
        }

        private void append(ByteBufferOutputStream out) throws IOException {
            ByteBuffer bytes = out.buffer().duplicate();
            bytes.flip();
            if (bytes.hasRemaining()) {
                cleaned.append(MemoryRecords.readableRecords(bytes), nowMs);
                bytesWritten += bytes.remaining();
            }
        }
    }
}
