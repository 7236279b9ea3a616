package io.brook.storage;

import io.brook.storage.internals.PartitionCheckpoint;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static io.brook.storage.LogTestSupport.appendOk;
import static io.brook.storage.LogTestSupport.filesEndingWith;
import static io.brook.storage.LogTestSupport.open;
import static io.brook.storage.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionLogRetentionTest extends LogFixture {

    private static final long HOUR_MS = 3_600_000L;

    int batchBytes = batch(1L, TestRecords.filler('r', 100)).sizeInBytes();

    private LogConfig config(Object... keyValues) {
        Map<String, Object> overrides = new java.util.HashMap<>(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, batchBytes * 2,
            LogConfig.FILE_DELETE_DELAY_MS_CONFIG, 0L));
        for (int i = 0; i < keyValues.length; i += 2) {
            overrides.put((String) keyValues[i], keyValues[i + 1]);
        }
        return LogConfig.fromMap(overrides);
    }

    /** Appends two batches (one segment) stamped with the current time, then advances the clock an hour. */
    private void appendSegmentAndWaitAnHour() {
        appendOk(log, batch(time.milliseconds(), TestRecords.filler('r', 100)));
        appendOk(log, batch(time.milliseconds(), TestRecords.filler('r', 100)));
        time.sleep(HOUR_MS);
    }

    @Test
    void retentionMsDeletesSegmentsWhoseNewestRecordIsTooOld() throws IOException {
        // proves: segments past retention.ms go, the log start moves to the next segment and is checkpointed
        log = openLog(config(LogConfig.RETENTION_MS_CONFIG, 3 * HOUR_MS));
        for (int i = 0; i < 5; i++) {
            appendSegmentAndWaitAnHour();
        }
        appendOk(log, batch(time.milliseconds(), "active"));
        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 2L, 4L, 6L, 8L, 10L);

        // newest records: seg0 5h old, seg2 4h, seg4 3h (not > 3h), seg6 2h, seg8 1h
        assertThat(log.deleteOldSegments()).isEqualTo(2);
        assertThat(log.segmentBaseOffsets()).containsExactly(4L, 6L, 8L, 10L);
        assertThat(log.logStartOffset()).isEqualTo(4);
        assertThat(PartitionCheckpoint.read(dir).orElseThrow().logStartOffset()).isEqualTo(4);
        assertThat(filesEndingWith(dir, ".log")).hasSize(4);
        assertThatThrownBy(() -> log.read(3, 1000, Long.MAX_VALUE, true)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(LogTestSupport.readAllOffsets(log)).startsWith(4L).endsWith(10L);
        assertThat(log.deleteOldSegments()).isZero();
    }

    @Test
    void retentionNeverDeletesTheActiveSegment() {
        // proves: even when everything is expired, the active segment and its offsets stay
        log = openLog(config(LogConfig.RETENTION_MS_CONFIG, 1L));
        appendSegmentAndWaitAnHour();
        appendOk(log, batch(time.milliseconds() - 10 * HOUR_MS, "old-but-active"));
        time.sleep(HOUR_MS);
        assertThat(log.deleteOldSegments()).isEqualTo(1);
        assertThat(log.numberOfSegments()).isEqualTo(1);
        assertThat(log.deleteOldSegments()).isZero();
        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThat(LogTestSupport.readAllValues(log, 2)).containsExactly("old-but-active");
    }

    @Test
    void retentionMsMinusOneKeepsEverything() {
        // proves: retention.ms=-1 disables time retention
        log = openLog(config(LogConfig.RETENTION_MS_CONFIG, -1L));
        for (int i = 0; i < 3; i++) {
            appendSegmentAndWaitAnHour();
        }
        time.sleep(1000 * HOUR_MS);
        assertThat(log.deleteOldSegments()).isZero();
    }

    @Test
    void retentionBytesDropsOldestSegmentsWhileTheRestStillHoldsTheLimit() {
        // proves: the log keeps at least retention.bytes, deleting only whole segments from the oldest
        log = openLog(config(LogConfig.RETENTION_BYTES_CONFIG, (long) batchBytes * 5,
            LogConfig.RETENTION_MS_CONFIG, -1L));
        for (int i = 0; i < 9; i++) {
            appendOk(log, batch(time.milliseconds(), TestRecords.filler('r', 100)));
        }
        assertThat(log.sizeInBytes()).isEqualTo(9L * batchBytes);
        // segments of 2,2,2,2,1 batches: deleting two leaves 5 batches (= limit), a third would leave 3
        assertThat(log.deleteOldSegments()).isEqualTo(2);
        assertThat(log.sizeInBytes()).isEqualTo(5L * batchBytes);
        assertThat(log.logStartOffset()).isEqualTo(4);
        assertThat(log.deleteOldSegments()).isZero();
    }

    @Test
    void logStartOffsetAfterRetentionSurvivesReopen() {
        // proves: a clean reopen and a crash reopen both keep the advanced log start offset
        log = openLog(config(LogConfig.RETENTION_BYTES_CONFIG, 1L));
        for (int i = 0; i < 6; i++) {
            appendOk(log, batch(time.milliseconds(), TestRecords.filler('r', 100)));
        }
        assertThat(log.deleteOldSegments()).isEqualTo(2);
        log.close();

        log = openLog(config(LogConfig.RETENTION_BYTES_CONFIG, 1L));
        assertThat(log.logStartOffset()).isEqualTo(4);
        assertThat(log.logEndOffset()).isEqualTo(6);
        LogTestSupport.crash(log);

        log = openLog(config());
        assertThat(log.logStartOffset()).isEqualTo(4);
        assertThat(LogTestSupport.readAllOffsets(log)).containsExactly(4L, 5L);
    }

    @Test
    void deletedSegmentFilesStayReadableUntilTheDeleteDelayPasses() {
        // proves: a slice handed out before retention can still be read; the files go after file.delete.delay.ms
        log = openLog(config(LogConfig.RETENTION_BYTES_CONFIG, 1L, LogConfig.FILE_DELETE_DELAY_MS_CONFIG, 60_000L));
        for (int i = 0; i < 4; i++) {
            appendOk(log, batch(time.milliseconds(), "v" + i));
        }
        log.updateConfig(log.config().withOverrides(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, batchBytes * 2)));
        for (int i = 4; i < 8; i++) {
            appendOk(log, batch(time.milliseconds(), TestRecords.filler('r', 100)));
        }
        ReadResult early = log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, true);

        assertThat(log.deleteOldSegments()).isPositive();
        assertThat(filesEndingWith(dir, ".deleted")).isNotEmpty();
        assertThat(TestRecords.values(early.toMemoryRecords())).startsWith("v0");

        time.sleep(60_000);
        log.deleteOldSegments();
        assertThat(filesEndingWith(dir, ".deleted")).isEmpty();
    }

    @Test
    void leftoverDeletedFilesAreRemovedOnOpen() {
        // proves: a deletion interrupted by a crash is finished by the next open
        log = openLog(config(LogConfig.RETENTION_BYTES_CONFIG, 1L, LogConfig.FILE_DELETE_DELAY_MS_CONFIG, 60_000L));
        for (int i = 0; i < 6; i++) {
            appendOk(log, batch(time.milliseconds(), TestRecords.filler('r', 100)));
        }
        log.deleteOldSegments();
        assertThat(filesEndingWith(dir, ".deleted")).isNotEmpty();
        LogTestSupport.crash(log);
        log = openLog(config());
        assertThat(filesEndingWith(dir, ".deleted")).isEmpty();
        assertThat(log.logStartOffset()).isEqualTo(4);
    }
}
