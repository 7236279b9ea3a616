package io.brook.storage;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.brook.storage.LogTestSupport.appendOk;
import static io.brook.storage.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartitionLogAppendReadTest extends LogFixture {

    @Test
    void appendedRecordsReadBackWithContiguousOffsets() {
        // proves: offsets start at 0, are contiguous across appends, and reads return the same records
        log = openLog(LogConfig.defaults());
        AppendResult first = appendOk(log, batch(time.milliseconds(), "a", "b", "c"));
        AppendResult second = appendOk(log, batch(Compression.gzip().build(), time.milliseconds(), "d", "e"));

        assertThat(first.firstOffset()).isEqualTo(0);
        assertThat(first.lastOffset()).isEqualTo(2);
        assertThat(first.recordCount()).isEqualTo(3);
        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(second.lastOffset()).isEqualTo(4);
        assertThat(log.logEndOffset()).isEqualTo(5);
        MemoryRecords read = log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).toMemoryRecords();
        assertThat(TestRecords.values(read)).containsExactly("a", "b", "c", "d", "e");
        assertThat(TestRecords.offsets(read)).containsExactly(0L, 1L, 2L, 3L, 4L);
        for (RecordBatch batch : read.batches()) {
            assertThat(batch.partitionLeaderEpoch()).isEqualTo(0);
            batch.ensureValid();
        }
    }

    @Test
    void groupCommitAssignsOffsetsInRequestOrderAndIsolatesAnInvalidRequest() {
        // proves: one call with several requests; a corrupt one fails alone, the others get contiguous offsets
        log = openLog(LogConfig.defaults());
        MemoryRecords corrupt = batch(time.milliseconds(), "bad");
        corrupt.buffer().put(corrupt.sizeInBytes() - 1, (byte) 0x55);
        MemoryRecords multiBatch = TestRecords.concat(batch(1L, "c"), batch(2L, "d", "e"));

        List<AppendResult> results = log.appendAsLeader(
            List.of(batch(time.milliseconds(), "a", "b"), corrupt, multiBatch), 7);

        assertThat(results).hasSize(3);
        assertThat(results.get(0).ok()).isTrue();
        assertThat(results.get(0).firstOffset()).isEqualTo(0);
        assertThat(results.get(1).ok()).isFalse();
        assertThat(results.get(1).error()).isInstanceOf(org.apache.kafka.common.errors.CorruptRecordException.class);
        assertThat(results.get(2).firstOffset()).isEqualTo(2);
        assertThat(results.get(2).lastOffset()).isEqualTo(4);
        assertThat(results.get(2).recordCount()).isEqualTo(3);
        assertThat(LogTestSupport.readAllValues(log, 0)).containsExactly("a", "b", "c", "d", "e");
        assertThat(log.latestEpoch()).hasValue(7);
    }

    @Test
    void appendChangesOnlyTheStampedHeaderFieldsOfTheCallersBytes() {
        // proves: the leader stamps base offset and epoch in place and leaves every other byte alone
        log = openLog(LogConfig.defaults());
        appendOk(log, batch(1L, "x"));
        MemoryRecords records = batch(time.milliseconds(), "a", "b");
        byte[] before = bytes(records);

        appendOk(log, records);

        byte[] after = bytes(records);
        for (int i = 0; i < before.length; i++) {
            boolean stamped = i < 8 || (i >= 12 && i < 16);
            if (!stamped) {
                assertThat(after[i]).as("byte %d", i).isEqualTo(before[i]);
            }
        }
        RecordBatch stamped = records.batches().iterator().next();
        assertThat(stamped.baseOffset()).isEqualTo(1);
        assertThat(stamped.partitionLeaderEpoch()).isEqualTo(0);
    }

    @Test
    void logAppendTimeStampsEveryBatchWithTheBrokerClock() {
        // proves: under LogAppendTime the batch carries the append time and the result reports it
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")));
        AppendResult result = appendOk(log, batch(5L, "a", "b"));

        assertThat(result.logAppendTimeMs()).isEqualTo(time.milliseconds());
        MemoryRecords read = log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).toMemoryRecords();
        RecordBatch batch = read.batches().iterator().next();
        batch.ensureValid();
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(time.milliseconds());
        batch.forEach(record -> assertThat(record.timestamp()).isEqualTo(time.milliseconds()));
    }

    @Test
    void createTimeKeepsProducerTimestampsAndReportsNoAppendTime() {
        // proves: CreateTime leaves timestamps alone and the result's logAppendTime is -1, as in Kafka
        log = openLog(LogConfig.defaults());
        AppendResult result = appendOk(log, batch(5L, "a"));
        assertThat(result.logAppendTimeMs()).isEqualTo(RecordBatch.NO_TIMESTAMP);
        RecordBatch batch = log.read(0, 1000, Long.MAX_VALUE, false).toMemoryRecords().batches().iterator().next();
        assertThat(batch.maxTimestamp()).isEqualTo(5L);
    }

    @Test
    void readsReturnWholeBatchesWithinMaxBytes() {
        // proves: maxBytes bounds the slice to whole batches, and minOneBatch returns an oversized first batch
        log = openLog(LogConfig.defaults());
        for (int i = 0; i < 5; i++) {
            appendOk(log, batch(time.milliseconds(), "v" + i + "a", "v" + i + "b"));
        }
        int batchBytes = log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false).sizeInBytes() / 5;

        ReadResult twoBatches = log.read(0, batchBytes * 2 + batchBytes / 2, Long.MAX_VALUE, false);
        assertThat(TestRecords.offsets(twoBatches.toMemoryRecords())).containsExactly(0L, 1L, 2L, 3L);

        assertThat(log.read(0, batchBytes - 1, Long.MAX_VALUE, false).sizeInBytes()).isZero();
        assertThat(TestRecords.offsets(log.read(0, batchBytes - 1, Long.MAX_VALUE, true).toMemoryRecords()))
            .containsExactly(0L, 1L);
        assertThat(TestRecords.offsets(log.read(0, 0, Long.MAX_VALUE, true).toMemoryRecords()))
            .containsExactly(0L, 1L);
    }

    @Test
    void readFromTheMiddleOfABatchStartsAtThatBatch() {
        // proves: a start offset inside a batch returns the whole batch holding it
        log = openLog(LogConfig.defaults());
        appendOk(log, batch(1L, "a", "b", "c"));
        appendOk(log, batch(1L, "d", "e"));
        ReadResult result = log.read(1, Integer.MAX_VALUE, Long.MAX_VALUE, false);
        assertThat(TestRecords.offsets(result.toMemoryRecords())).containsExactly(0L, 1L, 2L, 3L, 4L);
        ReadResult later = log.read(3, Integer.MAX_VALUE, Long.MAX_VALUE, false);
        assertThat(TestRecords.offsets(later.toMemoryRecords())).containsExactly(3L, 4L);
    }

    @Test
    void readsStopBeforeTheFirstBatchReachingMaxOffsetExclusive() {
        // proves: batches whose last offset is at or past the high watermark are not returned
        log = openLog(LogConfig.defaults());
        appendOk(log, batch(1L, "a", "b"));
        appendOk(log, batch(1L, "c", "d"));
        appendOk(log, batch(1L, "e"));

        assertThat(TestRecords.offsets(log.read(0, Integer.MAX_VALUE, 4, false).toMemoryRecords()))
            .containsExactly(0L, 1L, 2L, 3L);
        assertThat(TestRecords.offsets(log.read(0, Integer.MAX_VALUE, 3, false).toMemoryRecords()))
            .containsExactly(0L, 1L);
        assertThat(log.read(0, Integer.MAX_VALUE, 1, true).sizeInBytes()).isZero();
        assertThat(log.read(2, Integer.MAX_VALUE, 2, true).sizeInBytes()).isZero();
    }

    @Test
    void readAtTheLogEndIsEmptyAndOutsideTheRangeIsOffsetOutOfRange() {
        // proves: LEO reads are empty; below the start or past the end names the valid range
        log = openLog(LogConfig.defaults());
        appendOk(log, batch(1L, "a", "b"));

        ReadResult atEnd = log.read(2, 1000, Long.MAX_VALUE, true);
        assertThat(atEnd.sizeInBytes()).isZero();
        assertThat(atEnd.logEndOffset()).isEqualTo(2);
        assertThat(atEnd.logStartOffset()).isEqualTo(0);
        assertThatThrownBy(() -> log.read(3, 1000, Long.MAX_VALUE, true))
            .isInstanceOf(OffsetOutOfRangeException.class).hasMessageContaining("[0, 2)");
        assertThatThrownBy(() -> log.read(-1, 1000, Long.MAX_VALUE, true))
            .isInstanceOf(OffsetOutOfRangeException.class);
        assertThatThrownBy(() -> log.read(0, -1, Long.MAX_VALUE, true))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sparseIndexFindsEveryOffsetInALargeSegment() {
        // proves: with many index entries, a read at any offset starts at the right batch
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.INDEX_INTERVAL_BYTES_CONFIG, 200)));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            expected.add("value-" + i);
            appendOk(log, batch(time.milliseconds(), "value-" + i));
        }
        assertThat(log.numberOfSegments()).isEqualTo(1);
        for (int offset = 0; offset < 300; offset += 7) {
            ReadResult result = log.read(offset, 1, Long.MAX_VALUE, true);
            assertThat(TestRecords.offsets(result.toMemoryRecords())).containsExactly((long) offset);
        }
        assertThat(LogTestSupport.readAllValues(log, 0)).isEqualTo(expected);
    }

    @Test
    void readSliceIsAZeroCopyViewOfTheSegmentFile() {
        // proves: the read result is a FileRecords slice on the segment's channel that can be copied out
        log = openLog(LogConfig.defaults());
        appendOk(log, batch(1L, "a"));
        appendOk(log, batch(1L, "b"));
        ReadResult result = log.read(1, 1000, Long.MAX_VALUE, false);
        assertThat(result.records().channel().isOpen()).isTrue();
        assertThat(result.records().file().getName()).isEqualTo("00000000000000000000.log");
        ByteBuffer copy = result.readFully();
        assertThat(copy.remaining()).isEqualTo(result.sizeInBytes());
        assertThat(TestRecords.values(MemoryRecords.readableRecords(copy))).containsExactly("b");
    }

    private static byte[] bytes(MemoryRecords records) {
        ByteBuffer buffer = records.buffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
