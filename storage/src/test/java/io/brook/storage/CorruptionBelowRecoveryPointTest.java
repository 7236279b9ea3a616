package io.brook.storage;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.brook.storage.LogTestSupport.appendOk;
import static io.brook.storage.LogTestSupport.filesEndingWith;
import static io.brook.storage.LogTestSupport.open;
import static io.brook.storage.PartitionLogRecoveryTest.flipByte;
import static io.brook.storage.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A byte flipped in data below the recovery point (an older segment, fsynced at its roll), then an
 * unclean restart: recovery leaves it alone, a read finds it, and it costs only the corrupt batch,
 * which a replica's copy repairs.
 */
class CorruptionBelowRecoveryPointTest {

    /** The v2 header's partition leader epoch: not covered by the CRC, so a flip there is invisible. */
    private static final int EPOCH_FIELD_START = 12;
    private static final int EPOCH_FIELD_END = 16;

    @TempDir
    Path root;
    final MockTime time = new MockTime();
    final LogConfig config = LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 1500,
        LogConfig.SEGMENT_INDEX_BYTES_CONFIG, 1024, LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 100));
    Path pristine;
    List<String> values;
    long logEnd;
    List<Long> segmentBases;
    PartitionLog log;
    PartitionLog replica;

    /** A batch as it lies in a segment file. */
    record DiskBatch(Path file, int position, int size, long baseOffset, long lastOffset) {
        CorruptRange range() {
            return new CorruptRange(baseOffset, lastOffset, size);
        }
    }

    @BeforeEach
    void writeALogAndCrash() {
        pristine = root.resolve("pristine");
        PartitionLog writer = open(pristine, config, time);
        values = new ArrayList<>();
        Compression[] codecs = {Compression.NONE, Compression.gzip().build(), Compression.lz4().build()};
        for (int i = 0; i < 60 || activeSegmentBatches(writer) < 3; i++) {
            String[] batchValues = new String[1 + i % 3];
            for (int r = 0; r < batchValues.length; r++) {
                batchValues[r] = "b" + i + "r" + r + "-" + TestRecords.filler('z', 20 + (i * 7) % 60);
                values.add(batchValues[r]);
            }
            appendOk(writer, batch(codecs[i % codecs.length], time.milliseconds() + i, batchValues));
            writer.flushRolledSegments(); // as the log's owner does after each append
        }
        logEnd = writer.logEndOffset();
        segmentBases = writer.segmentBaseOffsets();
        assertThat(segmentBases.size()).as("several segments").isGreaterThan(4);
        assertThat(writer.recoveryPoint()).isEqualTo(segmentBases.get(segmentBases.size() - 1));
        LogTestSupport.crash(writer); // kill -9: no clean-shutdown marker
    }

    private static int activeSegmentBatches(PartitionLog target) {
        List<Long> bases = target.segmentBaseOffsets();
        long activeBase = bases.get(bases.size() - 1);
        int batches = 0;
        for (long offset = activeBase; offset < target.logEndOffset(); batches++) {
            List<Long> offsets = TestRecords.offsets(target.read(offset, 1, Long.MAX_VALUE, true).toMemoryRecords());
            offset = offsets.get(offsets.size() - 1) + 1;
        }
        return batches;
    }

    @AfterEach
    void closeLogs() {
        for (PartitionLog open : new PartitionLog[] {log, replica}) {
            if (open != null && !open.isOffline()) {
                try {
                    open.close();
                } catch (IllegalStateException alreadyClosed) {
                    // crashed on purpose
                }
            }
        }
    }

    /** A copy of the pristine log to damage. */
    private Path copy(String name) {
        Path dir = root.resolve(name);
        LogTestSupport.copyDir(pristine, dir);
        return dir;
    }

    private static List<DiskBatch> batchesOf(Path segment) throws IOException {
        List<DiskBatch> batches = new ArrayList<>();
        try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
            for (FileChannelRecordBatch batch : records.batches()) {
                batches.add(new DiskBatch(segment, batch.position(), batch.sizeInBytes(), batch.baseOffset(),
                    batch.lastOffset()));
            }
        }
        return batches;
    }

    private static DiskBatch batchAt(Path dir, int segment, int batch) throws IOException {
        return batchesOf(filesEndingWith(dir, ".log").get(segment)).get(batch);
    }

    private static DiskBatch inDir(DiskBatch batch, Path dir) {
        return new DiskBatch(dir.resolve(batch.file().getFileName()), batch.position(), batch.size(), batch.baseOffset(),
            batch.lastOffset());
    }

    /** The replica: a byte-identical copy of the log, opened on its own. */
    private PartitionLog openReplica() {
        return open(copy("replica"), config, time);
    }

    private MemoryRecords replicaCopy(CorruptRange range) {
        return replica.read(range.firstOffset(), range.sizeInBytes(), range.lastOffset() + 1, true).toMemoryRecords();
    }

    /** Reads that work: everything but the corrupt batch. */
    private void assertOnlyTheBatchIsLost(PartitionLog damaged, DiskBatch victim, String what) {
        assertThat(damaged.logEndOffset()).as(what).isEqualTo(logEnd);
        assertThat(damaged.segmentBaseOffsets()).as(what).isEqualTo(segmentBases);
        assertThat(LogTestSupport.readValues(damaged, 0, victim.baseOffset())).as(what)
            .isEqualTo(values.subList(0, (int) victim.baseOffset()));
        assertThat(LogTestSupport.readAllValues(damaged, victim.lastOffset() + 1)).as(what)
            .isEqualTo(values.subList((int) victim.lastOffset() + 1, values.size()));
        for (long offset = victim.baseOffset(); offset <= victim.lastOffset(); offset++) {
            long inside = offset;
            CorruptBatchException e = catchThrowableOfType(CorruptBatchException.class,
                () -> damaged.read(inside, Integer.MAX_VALUE, Long.MAX_VALUE, true));
            assertThat(e).as("%s: read at %d", what, offset).isNotNull();
            assertThat(e.range()).as(what).isEqualTo(victim.range());
        }
        assertThat(damaged.corruptRanges()).as(what).containsExactly(victim.range());
    }

    @Test
    void aFlippedByteInAnOlderSegmentCostsOnlyItsBatch() throws IOException {
        // proves: after kill -9 and a restart, a flipped byte in an older segment is neither cut nor
        // followed by deletions; a read of it fails with CORRUPT_MESSAGE naming the partition and the
        // offsets, every other offset reads, and appends continue at the old log end
        Path dir = copy("p0");
        DiskBatch victim = batchAt(dir, 1, 2);
        flipByte(victim.file(), victim.position() + victim.size() - 5);

        log = open(dir, config, time);
        assertThat(log.recoveryPoint()).isEqualTo(segmentBases.get(segmentBases.size() - 1));
        assertThat(log.corruptRanges()).as("nothing below the recovery point was scanned at open").isEmpty();
        CorruptBatchException e = catchThrowableOfType(CorruptBatchException.class,
            () -> log.read(victim.baseOffset(), Integer.MAX_VALUE, Long.MAX_VALUE, true));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(dir.toString())
            .contains("[" + victim.baseOffset() + ", " + victim.lastOffset() + "]");
        assertThat(Errors.forException(e)).isEqualTo(Errors.CORRUPT_MESSAGE);
        assertOnlyTheBatchIsLost(log, victim, "payload flip");

        AppendResult next = appendOk(log, batch(1L, "after"));
        assertThat(next.firstOffset()).isEqualTo(logEnd);
        assertThat(LogTestSupport.readAllValues(log, logEnd)).containsExactly("after");
    }

    @Test
    void aReadThatReachesTheCorruptBatchStopsBeforeIt() throws IOException {
        // proves: a read starting before the damage returns the intact batches before it, never the bad one
        Path dir = copy("p0");
        DiskBatch victim = batchAt(dir, 1, 3);
        DiskBatch before = batchAt(dir, 1, 0);
        flipByte(victim.file(), victim.position() + 30);
        log = open(dir, config, time);
        MemoryRecords read = log.read(before.baseOffset(), Integer.MAX_VALUE, Long.MAX_VALUE, true).toMemoryRecords();
        List<Long> offsets = TestRecords.offsets(read);
        assertThat(offsets).isNotEmpty();
        assertThat(offsets.get(offsets.size() - 1)).isEqualTo(victim.baseOffset() - 1);
    }

    @Test
    void theCorruptBatchIsLoggedOnceAtError() throws IOException {
        // proves: the first read that finds it reports it at ERROR; later reads fail without a new report
        Path dir = copy("p0");
        DiskBatch victim = batchAt(dir, 2, 1);
        flipByte(victim.file(), victim.position() + 40);
        log = open(dir, config, time);
        List<LogRecord> errors = new ArrayList<>();
        Logger logger = Logger.getLogger("io.brook.storage");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try {
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> log.read(victim.baseOffset(), 100_000, Long.MAX_VALUE, true))
                    .isInstanceOf(CorruptBatchException.class);
            }
        } finally {
            logger.removeHandler(capture);
        }
        assertThat(errors).hasSize(1);
    }

    @Test
    void aReplicasCopyRepairsTheBatchInPlace() throws IOException {
        // proves: the same offsets' bytes from a replica replace the corrupt batch (same base offset,
        // same size, valid CRC), the file becomes byte-identical to the replica's, and it survives a crash
        Path dir = copy("p0");
        DiskBatch victim = batchAt(dir, 1, 2);
        flipByte(victim.file(), victim.position() + 45);
        log = open(dir, config, time);
        assertThatThrownBy(() -> log.read(victim.baseOffset(), 100_000, Long.MAX_VALUE, true))
            .isInstanceOf(CorruptBatchException.class);
        replica = openReplica();

        assertThat(log.repair(victim.range(), replicaCopy(victim.range()))).isTrue();
        assertThat(log.corruptRanges()).isEmpty();
        assertThat(LogTestSupport.readAllValues(log, 0)).isEqualTo(values);
        assertThat(Files.readAllBytes(victim.file()))
            .isEqualTo(Files.readAllBytes(root.resolve("replica").resolve(victim.file().getFileName())));
        assertThat(log.repair(victim.range(), replicaCopy(victim.range()))).as("nothing left to repair").isFalse();

        LogTestSupport.crash(log);
        log = open(dir, config, time);
        assertThat(LogTestSupport.readAllValues(log, 0)).isEqualTo(values);
    }

    @Test
    void aCopyThatDoesNotMatchIsRefusedAndNothingIsWritten() throws IOException {
        // proves: repair accepts only intact batches of exactly the corrupt offsets, size and leader epoch
        Path dir = copy("p0");
        DiskBatch victim = batchAt(dir, 1, 2);
        DiskBatch neighbour = batchAt(dir, 1, 3);
        flipByte(victim.file(), victim.position() + 45);
        log = open(dir, config, time);
        assertThatThrownBy(() -> log.read(victim.baseOffset(), 100_000, Long.MAX_VALUE, true))
            .isInstanceOf(CorruptBatchException.class);
        replica = openReplica();
        byte[] before = Files.readAllBytes(victim.file());
        CorruptRange range = victim.range();

        MemoryRecords otherOffsets = replicaCopy(neighbour.range());
        assertThatThrownBy(() -> log.repair(range, otherOffsets)).isInstanceOf(InvalidRecordException.class);

        MemoryRecords damagedCopy = TestRecords.copy(replicaCopy(range));
        ByteBuffer bytes = damagedCopy.buffer();
        bytes.put(bytes.limit() - 3, (byte) (bytes.get(bytes.limit() - 3) ^ 0x10));
        assertThatThrownBy(() -> log.repair(range, MemoryRecords.readableRecords(bytes)))
            .isInstanceOf(CorruptRecordException.class);

        ByteBuffer otherEpoch = TestRecords.copy(replicaCopy(range)).buffer();
        otherEpoch.putInt(EPOCH_FIELD_START, 7); // outside the CRC: only the epoch check can tell
        assertThatThrownBy(() -> log.repair(range, MemoryRecords.readableRecords(otherEpoch)))
            .isInstanceOf(InvalidRecordException.class).hasMessageContaining("epoch");

        assertThat(log.repair(neighbour.range(), replicaCopy(neighbour.range()))).as("not corrupt").isFalse();
        assertThat(Files.readAllBytes(victim.file())).isEqualTo(before);
        assertThat(log.corruptRanges()).containsExactly(range);
    }

    @Test
    void aFlipAnywhereInABatchCostsOnlyThatBatchAndIsRepairable() throws IOException {
        // proves: header or payload, in the first, a middle or the last batch of an older segment, a
        // flipped byte (other than the unchecksummed leader epoch) is contained to its batch: the offset
        // range reported is exactly the batch's, every other offset reads, and a replica's copy repairs it
        long seed = Long.getLong("brook.test.seed", System.nanoTime());
        Random random = new Random(seed);
        replica = openReplica();
        Logger storageLogger = Logger.getLogger("io.brook.storage");
        Level previousLevel = storageLogger.getLevel();
        storageLogger.setLevel(Level.OFF); // each iteration reports its corruption; the assertions say enough
        try {
            for (int iteration = 0; iteration < 200; iteration++) {
                int segment = random.nextInt(segmentBases.size() - 1);
                List<DiskBatch> batches = batchesOf(filesEndingWith(pristine, ".log").get(segment));
                int index = switch (iteration % 3) {
                    case 0 -> 0;
                    case 1 -> batches.size() - 1;
                    default -> random.nextInt(batches.size());
                };
                DiskBatch victim = batches.get(index);
                int offsetInBatch = iteration % 2 == 0 ? random.nextInt(61) : random.nextInt(victim.size());
                if (offsetInBatch >= EPOCH_FIELD_START && offsetInBatch < EPOCH_FIELD_END) {
                    offsetInBatch = EPOCH_FIELD_END;
                }
                String what = String.format("seed %d, iteration %d: segment %d batch %d %s, byte %d", seed, iteration,
                    segment, index, victim.range(), offsetInBatch);
                Path dir = copy("run-" + iteration);
                DiskBatch damaged = inDir(victim, dir);
                flipByte(damaged.file(), damaged.position() + offsetInBatch);

                PartitionLog opened = open(dir, config, time);
                try {
                    assertOnlyTheBatchIsLost(opened, damaged, what);
                    assertThat(opened.repair(damaged.range(), replicaCopy(damaged.range()))).as(what).isTrue();
                    assertThat(LogTestSupport.readAllValues(opened, 0)).as(what).isEqualTo(values);
                } finally {
                    LogTestSupport.crash(opened);
                }
                PartitionLog.delete(dir);
            }
        } finally {
            storageLogger.setLevel(previousLevel);
        }
    }

    @Test
    void aDamagedHeaderFoundByRecoveryInTheSegmentHoldingTheRecoveryPointIsKept() throws IOException {
        // proves: with the recovery point in the middle of the active segment, a batch before it whose
        // length field is damaged is not cut: recovery steps over it, registers it as corrupt, and
        // re-validates (and keeps) the unflushed batches after the recovery point
        Path dir = root.resolve("mid");
        log = open(dir, config, time);
        for (int i = 0; i < 6; i++) {
            appendOk(log, batch(1L, "flushed-" + i));
        }
        log.flush();
        long recoveryPoint = log.recoveryPoint();
        for (int i = 0; i < 3; i++) {
            appendOk(log, batch(1L, "unflushed-" + i));
        }
        assertThat(log.numberOfSegments()).isEqualTo(1);
        LogTestSupport.crash(log);
        DiskBatch victim = batchAt(dir, 0, 2);
        flipByte(victim.file(), victim.position() + 9); // the batch length

        log = open(dir, config, time);
        assertThat(log.recoveryPoint()).isEqualTo(recoveryPoint);
        assertThat(log.logEndOffset()).isEqualTo(recoveryPoint + 3);
        assertThat(log.corruptRanges()).containsExactly(victim.range());
        assertThat(LogTestSupport.readValues(log, 0, 2)).containsExactly("flushed-0", "flushed-1");
        assertThat(LogTestSupport.readAllValues(log, 3))
            .containsExactly("flushed-3", "flushed-4", "flushed-5", "unflushed-0", "unflushed-1", "unflushed-2");
    }

    @Test
    void aFlipBeforeTheRecoveryPointInsideTheActiveSegmentCostsOnlyItsBatch() throws IOException {
        // proves: with the recovery point in the middle of the segment recovery validates, any flipped
        // byte in a batch before it (header or payload) is contained to that batch, and the unflushed
        // batches after the recovery point are validated and kept
        long seed = Long.getLong("brook.test.seed", System.nanoTime());
        Random random = new Random(seed);
        Path source = root.resolve("mid-source");
        PartitionLog writer = open(source, config, time);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String value = "v" + i + "-" + TestRecords.filler('q', 10 + 9 * i);
            all.add(value);
            appendOk(writer, batch(1L, value));
            if (i == 5) {
                writer.flush();
            }
        }
        long end = writer.logEndOffset();
        assertThat(writer.numberOfSegments()).isEqualTo(1);
        LogTestSupport.crash(writer);
        Path sourceReplica = root.resolve("mid-replica");
        LogTestSupport.copyDir(source, sourceReplica);
        replica = open(sourceReplica, config, time);
        List<DiskBatch> flushed = batchesOf(filesEndingWith(source, ".log").get(0)).subList(0, 6);
        Logger storageLogger = Logger.getLogger("io.brook.storage");
        Level previousLevel = storageLogger.getLevel();
        storageLogger.setLevel(Level.OFF);
        try {
            for (int iteration = 0; iteration < 200; iteration++) {
                DiskBatch victim = flushed.get(random.nextInt(flushed.size()));
                int offsetInBatch = iteration % 2 == 0 ? random.nextInt(61) : random.nextInt(victim.size());
                if (offsetInBatch >= EPOCH_FIELD_START && offsetInBatch < EPOCH_FIELD_END) {
                    offsetInBatch = EPOCH_FIELD_END;
                }
                String what = String.format("seed %d, iteration %d: batch %s, byte %d", seed, iteration, victim.range(),
                    offsetInBatch);
                Path dir = root.resolve("mid-run-" + iteration);
                LogTestSupport.copyDir(source, dir);
                DiskBatch damaged = inDir(victim, dir);
                flipByte(damaged.file(), damaged.position() + offsetInBatch);
                PartitionLog opened = open(dir, config, time);
                try {
                    assertThat(opened.logEndOffset()).as(what).isEqualTo(end);
                    assertThat(LogTestSupport.readValues(opened, 0, victim.baseOffset())).as(what)
                        .isEqualTo(all.subList(0, (int) victim.baseOffset()));
                    assertThat(LogTestSupport.readAllValues(opened, victim.lastOffset() + 1)).as(what)
                        .isEqualTo(all.subList((int) victim.lastOffset() + 1, all.size()));
                    CorruptBatchException e = catchThrowableOfType(CorruptBatchException.class,
                        () -> opened.read(victim.baseOffset(), Integer.MAX_VALUE, Long.MAX_VALUE, true));
                    assertThat(e).as(what).isNotNull();
                    assertThat(e.range()).as(what).isEqualTo(victim.range());
                    assertThat(opened.repair(victim.range(), replica.read(victim.baseOffset(), victim.size(),
                        victim.lastOffset() + 1, true).toMemoryRecords())).as(what).isTrue();
                    assertThat(LogTestSupport.readAllValues(opened, 0)).as(what).isEqualTo(all);
                } finally {
                    LogTestSupport.crash(opened);
                }
                PartitionLog.delete(dir);
            }
        } finally {
            storageLogger.setLevel(previousLevel);
        }
    }

    @Test
    void aFlippedByteAboveTheRecoveryPointIsStillCut() throws IOException {
        // proves: data after the recovery point was never fsynced, so recovery cuts at its first invalid
        // batch as before; the segments below the recovery point are untouched
        Path dir = copy("p0");
        int active = segmentBases.size() - 1;
        List<DiskBatch> batches = batchesOf(filesEndingWith(dir, ".log").get(active));
        assertThat(batches.size()).isGreaterThan(1);
        DiskBatch victim = batches.get(1);
        flipByte(victim.file(), victim.position() + 40);

        log = open(dir, config, time);
        assertThat(log.logEndOffset()).isEqualTo(victim.baseOffset());
        assertThat(log.segmentBaseOffsets()).isEqualTo(segmentBases);
        assertThat(log.corruptRanges()).isEmpty();
        assertThat(LogTestSupport.readAllValues(log, 0)).isEqualTo(values.subList(0, (int) victim.baseOffset()));
    }

    @Test
    void aCleanRestartAlsoFindsTheDamageOnRead() throws IOException {
        // proves: after a clean shutdown nothing is re-validated at open, yet the first read of a damaged
        // batch reports it instead of serving it
        Path dir = copy("p0");
        PartitionLog clean = open(dir, config, time);
        clean.close();
        DiskBatch victim = batchAt(dir, 3, 1);
        flipByte(victim.file(), victim.position() + 50);
        log = open(dir, config, time);
        assertOnlyTheBatchIsLost(log, victim, "clean restart");
    }

    @Test
    void aTimeLookupThatMeetsTheCorruptBatchFailsRatherThanAnswerFromIt() throws IOException {
        // proves: offsetForTimestamp checks the batches it scans: a damaged one fails the lookup with
        // CORRUPT_MESSAGE instead of answering from garbage timestamps; lookups before it still work
        Path dir = copy("p0");
        DiskBatch victim = batchAt(dir, 2, 1);
        String firstValue = values.get((int) victim.baseOffset());
        long victimTimestamp = time.milliseconds() + Long.parseLong(firstValue.substring(1, firstValue.indexOf('r')));
        flipByte(victim.file(), victim.position() + victim.size() - 3);
        log = open(dir, config, time);
        assertThatThrownBy(() -> log.offsetForTimestamp(victimTimestamp)).isInstanceOf(CorruptRecordException.class);
        assertThat(log.offsetForTimestamp(time.milliseconds() + 1)).get()
            .satisfies(found -> assertThat(found.offset).isLessThan(victim.baseOffset()));
    }

    @Test
    void aFollowerTruncationThroughACorruptBatchRemovesIt() throws IOException {
        // proves: truncating to an offset inside a corrupt batch cuts at the batch's start and forgets it
        Path dir = copy("p0");
        DiskBatch victim = batchAt(dir, 1, 2);
        flipByte(victim.file(), victim.position() + 40);
        log = open(dir, config, time);
        assertThatThrownBy(() -> log.read(victim.baseOffset(), 100_000, Long.MAX_VALUE, true))
            .isInstanceOf(CorruptBatchException.class);
        log.truncateTo(victim.lastOffset());
        assertThat(log.logEndOffset()).isEqualTo(victim.baseOffset());
        assertThat(log.corruptRanges()).isEmpty();
        assertThat(LogTestSupport.readAllValues(log, 0)).isEqualTo(values.subList(0, (int) victim.baseOffset()));
    }
}
