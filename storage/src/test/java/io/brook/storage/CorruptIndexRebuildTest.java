package io.brook.storage;

import io.brook.storage.internals.OffsetIndex;
import io.brook.storage.internals.TimeIndex;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.brook.storage.LogTestSupport.appendOk;
import static io.brook.storage.LogTestSupport.filesEndingWith;
import static io.brook.storage.LogTestSupport.open;
import static io.brook.storage.TestRecords.batchWithTimestamps;
import static org.assertj.core.api.Assertions.assertThat;

/** Index files found corrupt or missing on open are rebuilt from the log; lookups stay right. */
class CorruptIndexRebuildTest extends LogFixture {

    private static final int RECORDS = 60;

    final LogConfig config = LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 1200,
        LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 1, LogConfig.SEGMENT_INDEX_BYTES_CONFIG, 4096));
    List<Path> indexes;
    List<Path> timeIndexes;

    @BeforeEach
    void writeAndCloseALog() {
        log = openLog(config);
        for (int i = 0; i < RECORDS; i++) {
            appendOk(log, batchWithTimestamps(1000 + i));
        }
        log.close();
        indexes = filesEndingWith(dir, ".index");
        timeIndexes = filesEndingWith(dir, ".timeindex");
        assertThat(indexes.size()).isGreaterThan(2);
    }

    private void reopenAndCheckLookups() throws IOException {
        log = openLog(config);
        for (int offset = 0; offset < RECORDS; offset++) {
            assertThat(TestRecords.offsets(log.read(offset, 1, Long.MAX_VALUE, true).toMemoryRecords()))
                .as("read at %d", offset).containsExactly((long) offset);
            assertThat(log.offsetForTimestamp(1000 + offset).orElseThrow().offset).as("time %d", 1000 + offset)
                .isEqualTo(offset);
        }
        for (Path index : filesEndingWith(dir, ".index")) {
            assertThat(Files.size(index) % OffsetIndex.ENTRY_BYTES).as(index.toString()).isZero();
        }
        for (Path index : filesEndingWith(dir, ".timeindex")) {
            assertThat(Files.size(index) % TimeIndex.ENTRY_BYTES).as(index.toString()).isZero();
        }
    }

    @Test
    void indexWhoseSizeIsNotAMultipleOfTheEntrySizeIsRebuilt() throws IOException {
        // proves: a torn index file (partial entry) is detected on first use and rebuilt
        Files.write(indexes.get(1), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        reopenAndCheckLookups();
    }

    @Test
    void indexWithDecreasingEntriesIsRebuilt() throws IOException {
        // proves: entries that go backwards (garbage, or preallocated zeros after a crash) are rejected
        try (RandomAccessFile file = new RandomAccessFile(indexes.get(0).toFile(), "rw")) {
            file.seek(OffsetIndex.ENTRY_BYTES);
            file.writeInt(0);
            file.writeInt(0);
        }
        reopenAndCheckLookups();
    }

    @Test
    void indexEntryPointingPastTheLogIsRebuilt() throws IOException {
        // proves: an entry beyond the end of its segment is rejected
        Path index = indexes.get(1);
        long entries = Files.size(index) / OffsetIndex.ENTRY_BYTES;
        try (RandomAccessFile file = new RandomAccessFile(index.toFile(), "rw")) {
            file.seek((entries - 1) * OffsetIndex.ENTRY_BYTES + 4);
            file.writeInt(1_000_000);
        }
        reopenAndCheckLookups();
    }

    @Test
    void corruptActiveSegmentIndexIsRebuiltOnACleanStart() throws IOException {
        // proves: the last segment's indexes are sanity-checked even when the shutdown was clean
        Path activeIndex = indexes.get(indexes.size() - 1);
        Files.write(activeIndex, new byte[] {9, 9, 9, 9, 9});
        reopenAndCheckLookups();
    }

    @Test
    void timeIndexWithNonIncreasingTimestampsIsRebuilt() throws IOException {
        // proves: the time index's monotonic-timestamp invariant is checked too
        try (RandomAccessFile file = new RandomAccessFile(timeIndexes.get(0).toFile(), "rw")) {
            file.seek(TimeIndex.ENTRY_BYTES);
            file.writeLong(5);
        }
        reopenAndCheckLookups();
    }

    @Test
    void missingIndexFilesAreRebuilt() throws IOException {
        // proves: deleted index files come back, so reads and timestamp lookups keep working
        Files.delete(indexes.get(0));
        Files.delete(timeIndexes.get(1));
        reopenAndCheckLookups();
        assertThat(indexes.get(0)).exists();
        assertThat(timeIndexes.get(1)).exists();
    }

    @Test
    void emptiedTimeIndexStillGivesRetentionTheRightTimestamp() throws IOException {
        // proves: a segment's newest timestamp is found from the log even if its time index lost entries
        try (RandomAccessFile file = new RandomAccessFile(timeIndexes.get(0).toFile(), "rw")) {
            file.setLength(0);
        }
        log = openLog(config.withOverrides(Map.of(LogConfig.RETENTION_MS_CONFIG, 100L,
            LogConfig.FILE_DELETE_DELAY_MS_CONFIG, 0L)));
        time.setCurrentTimeMs(1000 + 100);
        assertThat(log.deleteOldSegments()).as("newest record of the first segment is younger than 100 ms").isZero();
        time.setCurrentTimeMs(1000 + RECORDS + 200);
        int inactiveSegments = log.numberOfSegments() - 1;
        assertThat(inactiveSegments).isPositive();
        assertThat(log.deleteOldSegments()).isEqualTo(inactiveSegments);
    }
}
