package io.brook.storage;

import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.brook.storage.LogTestSupport.appendOk;
import static io.brook.storage.LogTestSupport.filesEndingWith;
import static io.brook.storage.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;

class PartitionLogRollTest extends LogFixture {

    @Test
    void rollsBeforeAnAppendThatWouldOverflowSegmentBytes() {
        // proves: no segment grows past segment.bytes, and segments are named by their base offset
        int batchBytes = batch(1L, TestRecords.filler('a', 100)).sizeInBytes();
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, batchBytes * 3)));
        for (int i = 0; i < 7; i++) {
            appendOk(log, batch(1L, TestRecords.filler('a', 100)));
        }
        assertThat(log.numberOfSegments()).isEqualTo(3);
        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 3L, 6L);
        assertThat(filesEndingWith(dir, ".log")).extracting(p -> p.getFileName().toString())
            .containsExactly("00000000000000000000.log", "00000000000000000003.log", "00000000000000000006.log");
        assertThat(filesEndingWith(dir, ".index")).hasSize(3);
        assertThat(filesEndingWith(dir, ".timeindex")).hasSize(3);
        assertThat(log.sizeInBytes()).isEqualTo(7L * batchBytes);
        assertThat(LogTestSupport.readAllOffsets(log)).hasSize(7);
    }

    @Test
    void rolledSegmentsHaveTrimmedIndexes() {
        // proves: an inactive segment's index files hold only their entries, the active one is preallocated
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 2000,
            LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 1, LogConfig.SEGMENT_INDEX_BYTES_CONFIG, 4096)));
        for (int i = 0; i < 40; i++) {
            appendOk(log, batch(time.milliseconds() + i, TestRecords.filler('a', 50)));
        }
        List<Path> indexes = filesEndingWith(dir, ".index");
        assertThat(indexes.size()).isGreaterThan(1);
        for (Path index : indexes.subList(0, indexes.size() - 1)) {
            assertThat(index.toFile().length() % 8).isZero();
            assertThat(index.toFile().length()).isLessThan(4096).isGreaterThan(0);
        }
        assertThat(indexes.get(indexes.size() - 1).toFile().length()).isEqualTo(4096);
    }

    @Test
    void rollsWhenTheActiveSegmentIsOlderThanSegmentMs() {
        // proves: segment.ms rolls by the injected clock, counted from the segment's first append
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.SEGMENT_MS_CONFIG, 1000L)));
        appendOk(log, batch(time.milliseconds(), "a"));
        time.sleep(1000);
        appendOk(log, batch(time.milliseconds(), "b"));
        assertThat(log.numberOfSegments()).as("exactly segment.ms old does not roll").isEqualTo(1);
        time.sleep(1);
        appendOk(log, batch(time.milliseconds(), "c"));
        assertThat(log.numberOfSegments()).isEqualTo(2);
        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 2L);
        time.sleep(5000);
        assertThat(log.numberOfSegments()).as("an idle log does not roll by itself").isEqualTo(2);
    }

    @Test
    void anEmptySegmentNeverRollsByTime() {
        // proves: the roll clock starts at the first append, so a new empty segment is not rolled again
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.SEGMENT_MS_CONFIG, 1000L)));
        time.sleep(10_000);
        appendOk(log, batch(time.milliseconds(), "a"));
        assertThat(log.numberOfSegments()).isEqualTo(1);
    }

    @Test
    void rollsWhenTheOffsetIndexIsFull() {
        // proves: a full index rolls the segment even though segment.bytes is far away
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.SEGMENT_INDEX_BYTES_CONFIG, 8 * 3,
            LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 1)));
        for (int i = 0; i < 12; i++) {
            appendOk(log, batch(time.milliseconds() + i, "v" + i));
        }
        assertThat(log.numberOfSegments()).isGreaterThan(1);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            expected.add("v" + i);
        }
        assertThat(LogTestSupport.readAllValues(log, 0)).isEqualTo(expected);
        for (int offset = 0; offset < 12; offset++) {
            assertThat(TestRecords.offsets(log.read(offset, 1, Long.MAX_VALUE, true).toMemoryRecords()))
                .containsExactly((long) offset);
        }
    }

    @Test
    void groupCommitSpanningARollWritesEachPartToItsSegment() {
        // proves: a group larger than the space left is split at a roll, with contiguous offsets
        int batchBytes = batch(1L, TestRecords.filler('a', 100)).sizeInBytes();
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, batchBytes * 2)));
        List<MemoryRecords> requests = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            requests.add(batch(1L, TestRecords.filler((char) ('a' + i), 100)));
        }
        List<AppendResult> results = log.appendAsLeader(requests, 0);
        assertThat(results).allMatch(AppendResult::ok);
        assertThat(results).extracting(AppendResult::firstOffset).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 2L, 4L);
        assertThat(LogTestSupport.readAllOffsets(log)).containsExactly(0L, 1L, 2L, 3L, 4L);
    }
}
