package io.brook.storage;

import io.brook.storage.internals.LogFiles;
import io.brook.storage.internals.PartitionCheckpoint;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.brook.storage.LogTestSupport.appendOk;
import static io.brook.storage.LogTestSupport.filesEndingWith;
import static io.brook.storage.LogTestSupport.open;
import static io.brook.storage.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;

class PartitionLogRecoveryTest {

    private static final int LEADER_EPOCH_FIELD_START = 12;
    private static final int LEADER_EPOCH_FIELD_END = 16;

    @TempDir
    Path root;
    final MockTime time = new MockTime();
    PartitionLog log;
    final LogConfig config = LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 1500,
        LogConfig.SEGMENT_INDEX_BYTES_CONFIG, 1024, LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 100));

    @AfterEach
    void closeLog() {
        if (log != null && !log.isOffline()) {
            try {
                log.close();
            } catch (IllegalStateException alreadyClosed) {
                // crashed logs are closed already
            }
        }
    }

    /** Appends {@code count} batches of 1-3 records (mixed compression); returns the values in order. */
    private List<String> fill(PartitionLog target, int count, Random random) {
        List<String> values = new ArrayList<>();
        Compression[] codecs = {Compression.NONE, Compression.gzip().build(), Compression.lz4().build()};
        for (int i = 0; i < count; i++) {
            int records = 1 + random.nextInt(3);
            String[] batchValues = new String[records];
            for (int r = 0; r < records; r++) {
                batchValues[r] = "b" + i + "r" + r + "-" + TestRecords.filler('z', random.nextInt(80));
                values.add(batchValues[r]);
            }
            appendOk(target, batch(codecs[random.nextInt(codecs.length)], time.milliseconds() + i, batchValues));
        }
        return values;
    }

    @Test
    void cleanReopenKeepsEverythingAndAppendsContinue() {
        // proves: close + open restores offsets, segments, values and the log start, with no recovery needed
        Path dir = root.resolve("p0");
        log = open(dir, config, time);
        List<String> values = fill(log, 40, new Random(1));
        long logEnd = log.logEndOffset();
        int segments = log.numberOfSegments();
        log.close();
        assertThat(dir.resolve(LogFiles.CLEAN_SHUTDOWN_FILE)).exists();

        log = open(dir, config, time);
        assertThat(dir.resolve(LogFiles.CLEAN_SHUTDOWN_FILE)).as("marker removed once open").doesNotExist();
        assertThat(log.logEndOffset()).isEqualTo(logEnd);
        assertThat(log.recoveryPoint()).isEqualTo(logEnd);
        assertThat(log.numberOfSegments()).isEqualTo(segments);
        assertThat(LogTestSupport.readAllValues(log, 0)).isEqualTo(values);
        AppendResult next = appendOk(log, batch(1L, "after"));
        assertThat(next.firstOffset()).isEqualTo(logEnd);
    }

    @Test
    void cleanShutdownSkipsTheScanOfSegments() throws IOException {
        // proves: after a clean close, batches are trusted (as in Kafka): a payload flip is not rescanned
        Path dir = root.resolve("p0");
        log = open(dir, config, time);
        fill(log, 5, new Random(2));
        log.close();
        Path segment = filesEndingWith(dir, ".log").get(0);
        flipByte(segment, 70);

        log = open(dir, config, time);
        assertThat(log.logEndOffset()).as("no truncation without a scan").isGreaterThan(0);
        assertThat(Files.size(segment)).isGreaterThan(70);
    }

    @Test
    void aTornTailAfterACleanShutdownIsReportedNotCut() throws IOException {
        // proves: the clean path still checks that the active segment ends on a whole batch; a tail
        // that was fsynced (below the recovery point) and is now short is kept as a corrupt range:
        // its offsets are not reused, reads of them fail clearly, everything before reads fine
        Path dir = root.resolve("p0");
        log = open(dir, config, time);
        List<String> values = fill(log, 3, new Random(3));
        long logEnd = log.logEndOffset();
        log.close();
        Path active = filesEndingWith(dir, ".log").get(filesEndingWith(dir, ".log").size() - 1);
        List<long[]> batches = batchBoundaries(active);
        try (RandomAccessFile file = new RandomAccessFile(active.toFile(), "rw")) {
            file.setLength(file.length() - 3);
        }
        log = open(dir, config, time);
        assertThat(batches.size()).isGreaterThan(1);
        long tornStart = batches.get(batches.size() - 2)[2];
        assertThat(log.logEndOffset()).isEqualTo(logEnd);
        assertThat(LogTestSupport.readValues(log, 0, tornStart)).isEqualTo(values.subList(0, (int) tornStart));
        assertThat(log.corruptRanges()).containsExactly(new CorruptRange(tornStart, logEnd - 1,
            (int) (batches.get(batches.size() - 1)[1] - batches.get(batches.size() - 1)[0] - 3)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> log.read(tornStart, 1000, Long.MAX_VALUE, true))
            .isInstanceOf(CorruptBatchException.class);
        assertThat(appendOk(log, batch(1L, "after")).firstOffset()).isEqualTo(logEnd);
    }

    @Test
    void recoveryAfterCrashKeepsExactlyTheValidPrefixAtRandomCutsAndCorruptions() throws IOException {
        // proves: cutting or corrupting the active segment at any byte recovers exactly the batches before
        // the damage, deletes nothing else, and the log accepts appends afterwards
        long seed = Long.getLong("brook.test.seed", System.nanoTime());
        Random random = new Random(seed);
        Path source = root.resolve("source");
        log = open(source, config, time);
        List<String> values = fill(log, 30, random);
        log.flush(); // recovery then starts in the middle of the log, at the segment holding this point
        values.addAll(fill(log, 12, random));
        while (log.segmentBaseOffsets().get(log.numberOfSegments() - 1) <= log.recoveryPoint()) {
            values.addAll(fill(log, 1, random)); // the damaged segment lies wholly above the recovery point
        }
        LogTestSupport.crash(log);
        log = null;

        List<Path> segmentFiles = filesEndingWith(source, ".log");
        Path lastSegment = segmentFiles.get(segmentFiles.size() - 1);
        List<long[]> batches = batchBoundaries(lastSegment);
        long size = Files.size(lastSegment);
        assertThat(segmentFiles.size()).as("seed %d: several segments", seed).isGreaterThan(2);

        // 300 recoveries would log 300 truncation warnings; the assertions say all that matters here
        java.util.logging.Logger storageLogger = java.util.logging.Logger.getLogger("io.brook.storage");
        java.util.logging.Level previousLevel = storageLogger.getLevel();
        storageLogger.setLevel(java.util.logging.Level.SEVERE);
        try {
            fuzz(seed, random, source, lastSegment, batches, size, values);
        } finally {
            storageLogger.setLevel(previousLevel);
        }
    }

    private void fuzz(long seed, Random random, Path source, Path lastSegment, List<long[]> batches, long size,
                      List<String> values) throws IOException {
        long lastSegmentBase = LogFiles.baseOffset(lastSegment, ".log").orElseThrow();
        for (int iteration = 0; iteration < 300; iteration++) {
            boolean cut = random.nextBoolean();
            int position = random.nextInt((int) size);
            String what = String.format("seed %d, iteration %d, %s at byte %d of %s (batches %s)", seed, iteration,
                cut ? "cut" : "corruption", position, lastSegment.getFileName(), describe(batches));
            Path dir = root.resolve("run-" + iteration);
            LogTestSupport.copyDir(source, dir);
            Path damaged = dir.resolve(lastSegment.getFileName());
            long expectedEnd = expectedLogEnd(batches, lastSegmentBase, position, cut);
            if (cut) {
                try (RandomAccessFile file = new RandomAccessFile(damaged.toFile(), "rw")) {
                    file.setLength(position);
                }
            } else {
                flipByte(damaged, position);
            }

            PartitionLog recovered = open(dir, config, time);
            try {
                assertThat(recovered.logEndOffset()).as(what).isEqualTo(expectedEnd);
                assertThat(LogTestSupport.readAllValues(recovered, 0)).as(what)
                    .isEqualTo(values.subList(0, (int) expectedEnd));
                AppendResult after = recovered.appendAsLeader(batch(1L, "after"), 1);
                assertThat(after.ok()).as(what).isTrue();
                assertThat(after.firstOffset()).as(what).isEqualTo(expectedEnd);
                assertThat(LogTestSupport.readAllValues(recovered, expectedEnd)).as(what).containsExactly("after");
            } finally {
                LogTestSupport.crash(recovered); // no need to pay for a clean close's fsyncs 300 times
            }
            PartitionLog.delete(dir);
        }
    }

    /** Offset after the last batch wholly before the damage; a flip in the (unchecksummed) epoch field is harmless. */
    private static long expectedLogEnd(List<long[]> batches, long segmentBase, int position, boolean cut) {
        long end = segmentBase;
        for (long[] batch : batches) {
            long start = batch[0];
            long batchEnd = batch[1];
            boolean inEpochField = position >= start + LEADER_EPOCH_FIELD_START && position < start + LEADER_EPOCH_FIELD_END;
            boolean damaged = cut ? position < batchEnd : position >= start && position < batchEnd && !inEpochField;
            if (damaged) {
                return end;
            }
            end = batch[2];
        }
        return end;
    }

    @Test
    void corruptionInAMiddleSegmentTruncatesThereAndDeletesEveryLaterSegment() throws IOException {
        // proves: recovery stops at the first invalid batch of the log and drops the segments after it
        Path dir = root.resolve("p0");
        log = open(dir, config, time);
        List<String> values = fill(log, 40, new Random(4));
        LogTestSupport.crash(log);
        List<Path> segmentFiles = filesEndingWith(dir, ".log");
        assertThat(segmentFiles.size()).isGreaterThan(3);
        Path middle = segmentFiles.get(1);
        List<long[]> batches = batchBoundaries(middle);
        long[] victim = batches.get(1);
        flipByte(middle, (int) victim[0] + 40);

        log = open(dir, config, time);
        long expectedEnd = batches.get(0)[2];
        assertThat(log.logEndOffset()).isEqualTo(expectedEnd);
        assertThat(log.numberOfSegments()).isEqualTo(2);
        assertThat(filesEndingWith(dir, ".log")).hasSize(2);
        assertThat(LogTestSupport.readAllValues(log, 0)).isEqualTo(values.subList(0, (int) expectedEnd));
    }

    @Test
    void malformedCheckpointMeansFullRecoveryNotDataLoss() throws IOException {
        // proves: an unreadable checkpoint file is ignored with a warning and the log is recovered from 0
        Path dir = root.resolve("p0");
        log = open(dir, config, time);
        List<String> values = fill(log, 20, new Random(5));
        log.close();
        Files.writeString(dir.resolve(PartitionCheckpoint.FILE_NAME), "garbage", StandardCharsets.UTF_8);
        log = open(dir, config, time);
        assertThat(LogTestSupport.readAllValues(log, 0)).isEqualTo(values);
    }

    @Test
    void leftoverTempAndOrphanIndexFilesAreRemoved() throws IOException {
        // proves: files from interrupted operations do not survive an open
        Path dir = root.resolve("p0");
        log = open(dir, config, time);
        fill(log, 3, new Random(6));
        log.close();
        Files.writeString(dir.resolve("offsets.checkpoint.tmp"), "half");
        Files.write(dir.resolve(LogFiles.filenamePrefix(999) + ".index"), new byte[16]);
        Files.write(dir.resolve(LogFiles.filenamePrefix(999) + ".timeindex"), new byte[24]);
        log = open(dir, config, time);
        assertThat(filesEndingWith(dir, ".tmp")).isEmpty();
        assertThat(dir.resolve(LogFiles.filenamePrefix(999) + ".index")).doesNotExist();
        assertThat(dir.resolve(LogFiles.filenamePrefix(999) + ".timeindex")).doesNotExist();
    }

    /** For each batch of a segment file: {start position, end position, next offset}. */
    static List<long[]> batchBoundaries(Path segment) throws IOException {
        List<long[]> boundaries = new ArrayList<>();
        try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
            for (FileChannelRecordBatch batch : records.batches()) {
                boundaries.add(new long[] {batch.position(), batch.position() + batch.sizeInBytes(), batch.lastOffset() + 1});
            }
        }
        return boundaries;
    }

    private static String describe(List<long[]> batches) {
        StringBuilder text = new StringBuilder();
        for (long[] batch : batches) {
            text.append('[').append(batch[0]).append(',').append(batch[1]).append(")->").append(batch[2]).append(' ');
        }
        return text.toString();
    }

    static void flipByte(Path file, int position) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int value = raf.read();
            raf.seek(position);
            raf.write(value ^ 0xA5);
        }
    }
}
