package io.brook.storage.internals;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.lang.System.Logger.Level.ERROR;

/**
 * What one segment knows, in this process, about the integrity of its bytes, and the checks that
 * find out more. Bytes below the recovery point are not re-validated when the log opens (as in
 * Kafka); they are checked here the first time a read serves them.
 *
 * <ul>
 *   <li>{@link VerifiedRanges}: bytes known intact (validated before the write, by recovery, or by
 *       an earlier read). Reads of them cost nothing more.</li>
 *   <li>{@link CorruptUnit}s: bytes found corrupt, with the offsets they should hold. Reads of those
 *       offsets fail at once; header walks step over them, so every other offset stays readable.</li>
 * </ul>
 *
 * <p>Finding a unit: the header chain is walked from position 0 (the segment's base offset is
 * certain there; every next batch must start at the previous one's last offset + 1). A batch whose
 * header chains but whose CRC32C or record count fails is a unit by itself when its length leads
 * to the next batch of the chain. Otherwise (a damaged length, offset or magic) the unit runs to the
 * next intact batch found by scanning the bytes (magic 2, plausible header, offsets in range, valid
 * CRC32C), to the next known unit, or to the end of the file. This walk costs one header read per
 * batch and runs only when something was found wrong.
 *
 * <p>Each unit is logged once at ERROR when found. Not thread-safe: owned by the segment's owner.
 */
final class SegmentIntegrity {

    private static final System.Logger LOG = System.getLogger(SegmentIntegrity.class.getName());
    static final long UNKNOWN_OFFSET = -1L;
    static final int MAX_UNITS = 1024;
    private static final int SCAN_CHUNK_BYTES = 64 * 1024;

    private final FileRecords log;
    private final long baseOffset;
    private final VerifiedRanges verified = new VerifiedRanges();
    /** Known corrupt units by start position. */
    private final TreeMap<Integer, CorruptUnit> units = new TreeMap<>();
    private final ByteBuffer scratch = BatchHeader.newScratch();

    SegmentIntegrity(FileRecords log, long baseOffset) {
        this.log = log;
        this.baseOffset = baseOffset;
    }

    // ---------------------------------------------------------------- state

    void markVerified(int start, int end) {
        verified.add(start, end);
    }

    boolean isVerified(int start, int end) {
        return verified.covers(start, end);
    }

    CorruptUnit unitStartingAt(int position) {
        return units.get(position);
    }

    /** The unit whose bytes include {@code position}, or null. */
    CorruptUnit unitContaining(int position) {
        Map.Entry<Integer, CorruptUnit> floor = units.floorEntry(position);
        return floor != null && floor.getValue().endPosition() > position ? floor.getValue() : null;
    }

    /** The unit that should hold {@code offset}, or null. */
    CorruptUnit unitHolding(long offset) {
        for (CorruptUnit unit : units.values()) {
            if (unit.holds(offset)) {
                return unit;
            }
        }
        return null;
    }

    List<CorruptUnit> units() {
        return new ArrayList<>(units.values());
    }

    /** The file was cut at {@code position}: forget what lay beyond. */
    void forgetFrom(int position) {
        units.tailMap(position, true).clear();
        verified.removeFrom(position);
    }

    void clear() {
        units.clear();
        verified.clear();
    }

    private void register(CorruptUnit unit) {
        if (units.containsKey(unit.position())) {
            return;
        }
        if (units.size() >= MAX_UNITS) {
            LOG.log(ERROR, "{0}: more than {1} corrupt ranges; not tracking offsets [{2}, {3}]", log.file(), MAX_UNITS,
                unit.firstOffset(), unit.lastOffset());
            return;
        }
        units.put(unit.position(), unit);
        verified.remove(unit.position(), unit.endPosition());
        LOG.log(ERROR, "Corrupt data in {0}: offsets [{1}, {2}] ({3} bytes at position {4}) cannot be read: {5}. "
                + "Reads of these offsets fail with CORRUPT_MESSAGE until a replica''s copy replaces them; every other "
                + "offset is served.", log.file(), unit.firstOffset(), unit.lastOffset(), unit.sizeInBytes(),
            unit.position(), unit.reason());
    }

    // ---------------------------------------------------------------- checks

    /** The result of {@link #check}: the batches in {@code [start, intactEnd)} are intact; {@code problem} is at intactEnd. */
    record Checked(int intactEnd, String problem) {
    }

    /**
     * Checks the batches in {@code [start, end)} that are not verified yet (magic, base offset
     * chained from {@code expectedBase}, CRC32C, record count) and marks the intact ones verified.
     * Stops at the first problem.
     */
    Checked check(int start, int end, long expectedBase) throws IOException {
        if (verified.covers(start, end)) {
            return new Checked(end, null);
        }
        int position = start;
        long expected = expectedBase;
        try {
            Iterator<FileChannelRecordBatch> batches = log.batchesFrom(start).iterator();
            while (position < end && batches.hasNext()) {
                FileChannelRecordBatch batch = batches.next();
                int batchEnd = position + batch.sizeInBytes();
                if (batchEnd > end) {
                    break;
                }
                if (!verified.covers(position, batchEnd)) {
                    String problem = problemOf(batch, expected);
                    if (problem != null) {
                        return new Checked(position, problem);
                    }
                    verified.add(position, batchEnd);
                }
                expected = batch.lastOffset() + 1;
                position = batchEnd;
            }
        } catch (KafkaException e) {
            rethrowIoFailure(e);
            return new Checked(position, e.getMessage());
        }
        return new Checked(position, position < end ? "the batch at position " + position + " is not whole" : null);
    }

    /** What is wrong with a batch, or null when it is intact. */
    String problemOf(FileChannelRecordBatch batch, long expectedBase) {
        if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
            return "magic " + batch.magic() + " instead of 2";
        }
        if (expectedBase != UNKNOWN_OFFSET && batch.baseOffset() != expectedBase) {
            return "base offset " + batch.baseOffset() + " where " + expectedBase + " was expected";
        }
        try {
            batch.ensureValid();
        } catch (CorruptRecordException e) {
            return e.getMessage();
        }
        long offsetRange = batch.lastOffset() - batch.baseOffset() + 1;
        Integer count = batch.countOrNull();
        if (offsetRange <= 0 || batch.lastOffset() - baseOffset > Integer.MAX_VALUE) {
            return "offsets " + batch.baseOffset() + ".." + batch.lastOffset() + " do not fit the segment";
        }
        if (count == null || count < 0 || count > offsetRange) {
            // fewer records than offsets only in a compacted batch (the CRC covers the count)
            return "record count " + count + " for " + offsetRange + " offsets";
        }
        return null;
    }

    /**
     * Finds (and registers) the corrupt unit at {@code problemPosition}, by walking the header chain
     * from position 0. {@code batchFailed}: the batch starting there failed its check (CRC, count),
     * rather than a header walk breaking there. Units found before it on the way are registered too.
     *
     * @param endOffset the offset after this segment's last batch (next segment's base, or the log
     *                  end), or {@link #UNKNOWN_OFFSET}
     * @return the unit holding {@code problemPosition}, or null when the chain from position 0 is
     *         intact up to and through it (the walk that broke there started from a wrong index entry)
     */
    CorruptUnit locate(int problemPosition, boolean batchFailed, String problem, long endOffset) throws IOException {
        int size = log.sizeInBytes();
        int position = 0;
        long expected = baseOffset;
        BatchHeader previous = null;
        while (position < size && position <= problemPosition) {
            CorruptUnit known = units.get(position);
            if (known != null) {
                if (problemPosition < known.endPosition()) {
                    return known;
                }
                position = known.endPosition();
                expected = known.lastOffset() + 1;
                previous = null;
                continue;
            }
            BatchHeader header = headerOrNull(position, size);
            boolean chained = header != null && header.baseOffset() == expected && fitsSegment(header.lastOffset());
            if (chained && position < problemPosition) {
                if (header.endPosition() > problemPosition) {
                    return null; // the problem position is inside an intact batch: no batch starts there
                }
                position = header.endPosition();
                expected = header.lastOffset() + 1;
                previous = header;
                continue;
            }
            if (chained && !batchFailed) {
                return null; // the chain is intact here: whatever broke the walk was not the log
            }
            CorruptUnit unit;
            if (chained && framedWell(header, endOffset)) {
                unit = new CorruptUnit(position, header.sizeInBytes(), header.baseOffset(), header.lastOffset(), problem);
            } else if (!chained && previous != null && batchProblem(previous) != null) {
                // the chain broke after a batch that fails its CRC: its length is what lied
                unit = resync(previous.position(), previous.baseOffset(), endOffset,
                    "damaged batch (" + batchProblem(previous) + "); the batch after it does not follow");
            } else {
                unit = resync(position, expected, endOffset, chained ? problem + "; its length or offsets are damaged too"
                    : "damaged batch header (" + problem + ")");
            }
            if (unit == null) {
                return null;
            }
            register(unit);
            if (problemPosition >= unit.position() && problemPosition < unit.endPosition()) {
                return unit;
            }
            position = unit.endPosition();
            expected = unit.lastOffset() + 1;
            previous = null;
        }
        return null;
    }

    /** What is wrong with the batch a header describes (null when intact or already verified). */
    String batchProblem(BatchHeader header) throws IOException {
        if (verified.covers(header.position(), header.endPosition())) {
            return null;
        }
        try {
            Iterator<FileChannelRecordBatch> batches = log.batchesFrom(header.position()).iterator();
            return batches.hasNext() ? problemOf(batches.next(), header.baseOffset()) : "not a whole batch";
        } catch (KafkaException e) {
            rethrowIoFailure(e);
            return e.getMessage();
        }
    }

    int unitCount() {
        return units.size();
    }

    /**
     * The unit from a damaged header at {@code position} (which should start at offset
     * {@code expected}) to the next intact batch, the next known unit, or else the end of the file,
     * whose last offset is then {@code fallbackEndOffset - 1}. Registers it. Null when no end can be
     * told (no intact batch follows and {@code fallbackEndOffset} is unknown).
     */
    CorruptUnit resyncAndRegister(int position, long expected, long fallbackEndOffset, String reason)
        throws IOException {
        CorruptUnit unit = resync(position, expected, UNKNOWN_OFFSET, fallbackEndOffset, reason);
        if (unit != null) {
            register(unit);
        }
        return unit;
    }

    private CorruptUnit resync(int position, long expected, long endOffset, String reason) throws IOException {
        return resync(position, expected, endOffset, endOffset, reason);
    }

    private CorruptUnit resync(int position, long expected, long endOffset, long fallbackEndOffset, String reason)
        throws IOException {
        Integer nextKnown = units.higherKey(position);
        int limit = nextKnown == null ? log.sizeInBytes() : nextKnown;
        int found = scanForIntactBatch(position + 1, limit, expected + 1, endOffset);
        if (found >= 0) {
            BatchHeader next = headerOrNull(found, limit);
            return new CorruptUnit(position, found - position, expected, next.baseOffset() - 1, reason);
        }
        if (nextKnown != null && units.get(nextKnown).firstOffset() > expected) {
            return new CorruptUnit(position, limit - position, expected, units.get(nextKnown).firstOffset() - 1, reason);
        }
        if (nextKnown == null && fallbackEndOffset != UNKNOWN_OFFSET && fallbackEndOffset > expected) {
            return new CorruptUnit(position, limit - position, expected, fallbackEndOffset - 1, reason);
        }
        return null;
    }

    /** The first position in {@code [from, limit)} where an intact batch with a base offset >= minBase starts, or -1. */
    private int scanForIntactBatch(int from, int limit, long minBase, long endOffset) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(SCAN_CHUNK_BYTES);
        int chunkStart = from;
        int chunkLength = 0;
        for (int candidate = from; candidate + Records.MAGIC_OFFSET < limit; candidate++) {
            int magicAt = candidate + Records.MAGIC_OFFSET;
            if (magicAt >= chunkStart + chunkLength) {
                chunkStart = candidate;
                chunkLength = readChunk(chunk, chunkStart, limit);
                if (chunkLength <= Records.MAGIC_OFFSET) {
                    return -1;
                }
            }
            if (chunk.get(magicAt - chunkStart) == RecordBatch.MAGIC_VALUE_V2
                && isIntactBatchAt(candidate, limit, minBase, endOffset)) {
                return candidate;
            }
        }
        return -1;
    }

    private int readChunk(ByteBuffer chunk, int position, int limit) throws IOException {
        chunk.clear();
        chunk.limit(Math.min(chunk.capacity(), limit - position));
        FileChannel channel = log.channel();
        while (chunk.hasRemaining()) {
            if (channel.read(chunk, position + chunk.position()) < 0) {
                break;
            }
        }
        return chunk.position();
    }

    private boolean isIntactBatchAt(int position, int limit, long minBase, long endOffset) throws IOException {
        BatchHeader header = headerOrNull(position, limit);
        if (header == null || header.baseOffset() < minBase || !fitsSegment(header.lastOffset())
            || (endOffset != UNKNOWN_OFFSET && header.lastOffset() >= endOffset)) {
            return false;
        }
        try {
            Iterator<FileChannelRecordBatch> batches = log.batchesFrom(position).iterator();
            return batches.hasNext() && problemOf(batches.next(), header.baseOffset()) == null;
        } catch (KafkaException e) {
            rethrowIoFailure(e);
            return false;
        }
    }

    /** Whether the batch's length leads to the next batch of the chain (or to the segment's end offset). */
    private boolean framedWell(BatchHeader header, long endOffset) throws IOException {
        int next = header.endPosition();
        int size = log.sizeInBytes();
        if (next == size) {
            return endOffset == UNKNOWN_OFFSET || header.lastOffset() + 1 == endOffset;
        }
        CorruptUnit known = units.get(next);
        if (known != null) {
            return known.firstOffset() == header.lastOffset() + 1;
        }
        BatchHeader after = headerOrNull(next, size);
        return after != null && after.baseOffset() == header.lastOffset() + 1;
    }

    /** The batch header at {@code position}, or null when the bytes there are not a whole, plausible v2 batch. */
    BatchHeader headerOrNull(int position, int endPosition) throws IOException {
        try {
            return BatchHeader.read(log.channel(), position, endPosition, scratch);
        } catch (CorruptRecordException e) {
            return null;
        }
    }

    boolean fitsSegment(long lastOffset) {
        return lastOffset >= baseOffset && lastOffset - baseOffset <= Integer.MAX_VALUE;
    }

    // ---------------------------------------------------------------- repair

    /**
     * Writes {@code bytes} (already validated against the unit by the caller) over a registered
     * unit and fsyncs the file; the unit becomes verified.
     */
    void replace(CorruptUnit unit, ByteBuffer bytes) throws IOException {
        if (!unit.equals(units.get(unit.position()))) {
            throw new IllegalStateException("No corrupt unit " + unit + " in " + log.file());
        }
        if (bytes.remaining() != unit.sizeInBytes()) {
            throw new IllegalArgumentException("A replacement of " + unit.sizeInBytes() + " bytes is needed, not "
                + bytes.remaining());
        }
        ByteBuffer source = bytes.duplicate();
        FileChannel channel = log.channel();
        long position = unit.position();
        while (source.hasRemaining()) {
            position += channel.write(source, position);
        }
        channel.force(true);
        units.remove(unit.position());
        verified.add(unit.position(), unit.endPosition());
    }

    static void rethrowIoFailure(KafkaException e) throws IOException {
        if (e.getCause() instanceof IOException io) {
            throw io;
        }
    }
}
