package io.brook.storage;

import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static io.brook.storage.LogTestSupport.appendOk;
import static io.brook.storage.TestRecords.batchWithTimestamps;
import static org.assertj.core.api.Assertions.assertThat;

class OffsetForTimestampTest extends LogFixture {

    @Test
    void findsTheEarliestOffsetWithATimestampAtOrAfterTheTarget() {
        // proves: lookups land on the first record >= target across batches, segments and time index entries
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 400,
            LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 1)));
        // offsets 0..29 with timestamps 100, 110, ..., 390
        for (int i = 0; i < 30; i += 3) {
            appendOk(log, batchWithTimestamps(100 + 10L * i, 110 + 10L * i, 120 + 10L * i));
        }
        assertThat(log.numberOfSegments()).isGreaterThan(2);
        for (int i = 0; i < 30; i++) {
            long timestamp = 100 + 10L * i;
            assertThat(offsetOf(timestamp)).as("exact %d", timestamp).hasValue((long) i);
            assertThat(offsetOf(timestamp - 5)).as("between, %d", timestamp - 5).hasValue((long) i);
        }
        assertThat(offsetOf(0)).hasValue(0L);
        assertThat(offsetOf(391)).isEmpty();
        assertThat(log.offsetForTimestamp(200).orElseThrow().timestamp).isEqualTo(200);
    }

    @Test
    void outOfOrderTimestampsReturnTheFirstRecordAtOrAfterTheTarget() {
        // proves: with CreateTime timestamps out of order, the earliest offset whose timestamp >= target wins
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 1)));
        appendOk(log, batchWithTimestamps(500, 100));   // offsets 0, 1
        appendOk(log, batchWithTimestamps(200, 600));   // offsets 2, 3
        appendOk(log, batchWithTimestamps(300));        // offset 4
        assertThat(offsetOf(150)).hasValue(0L);
        assertThat(offsetOf(550)).hasValue(3L);
        assertThat(offsetOf(600)).hasValue(3L);
        assertThat(offsetOf(601)).isEmpty();
    }

    @Test
    void lookupsWorkAfterAReopenAndAfterRetention() {
        // proves: time indexes reload lazily after a restart and records below the log start are skipped
        LogConfig config = LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 300,
            LogConfig.RETENTION_BYTES_CONFIG, 600L, LogConfig.FILE_DELETE_DELAY_MS_CONFIG, 0L));
        log = openLog(config);
        for (int i = 0; i < 20; i++) {
            appendOk(log, batchWithTimestamps(1000 + i));
        }
        log.close();
        log = openLog(config);
        assertThat(offsetOf(1007)).hasValue(7L);
        log.deleteOldSegments();
        long start = log.logStartOffset();
        assertThat(start).isPositive();
        assertThat(offsetOf(0)).hasValue(start);
        assertThat(offsetOf(1019)).hasValue(19L);
    }

    private Optional<Long> offsetOf(long timestamp) {
        return log.offsetForTimestamp(timestamp).map(found -> found.offset);
    }

    @SuppressWarnings("unused")
    private static long timestampOf(TimestampAndOffset found) {
        return found.timestamp;
    }
}
