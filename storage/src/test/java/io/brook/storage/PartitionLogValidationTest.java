package io.brook.storage;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.Crc32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Map;

import static io.brook.storage.LogTestSupport.appendOk;
import static io.brook.storage.TestRecords.batch;
import static org.assertj.core.api.Assertions.assertThat;

/** Every malformed request fails alone, with Kafka's exception, and leaves the log exactly as it was. */
class PartitionLogValidationTest extends LogFixture {

    private static final int ATTRIBUTES_OFFSET = 21;
    private static final int LAST_OFFSET_DELTA_OFFSET = DefaultRecordBatch.LAST_OFFSET_DELTA_OFFSET;
    private static final int RECORDS_COUNT_OFFSET = DefaultRecordBatch.RECORDS_COUNT_OFFSET;

    long sizeBefore;

    @BeforeEach
    void openLogWithOneBatch() {
        log = openLog(LogConfig.fromMap(Map.of(LogConfig.MAX_MESSAGE_BYTES_CONFIG, 2000,
            LogConfig.SEGMENT_BYTES_CONFIG, 100_000)));
        appendOk(log, batch(1L, "existing"));
        sizeBefore = log.sizeInBytes();
    }

    private RuntimeException rejected(MemoryRecords records) {
        AppendResult result = log.appendAsLeader(records, 0);
        assertThat(result.ok()).as("append should fail").isFalse();
        assertThat(result.firstOffset()).isEqualTo(-1);
        assertThat(result.recordCount()).isZero();
        assertThat(log.logEndOffset()).as("log end unchanged").isEqualTo(1);
        assertThat(log.sizeInBytes()).as("log size unchanged").isEqualTo(sizeBefore);
        assertThat(LogTestSupport.readAllValues(log, 0)).containsExactly("existing");
        return result.error();
    }

    @Test
    void badCrcIsCorruptRecord() {
        // proves: a flipped payload byte fails the CRC32C check
        MemoryRecords records = batch(1L, "a", "b");
        records.buffer().put(records.sizeInBytes() - 3, (byte) 0x7f);
        RuntimeException error = rejected(records);
        assertThat(error).isInstanceOf(CorruptRecordException.class).hasMessageContaining("crc");
        assertThat(Errors.forException(error)).isEqualTo(Errors.CORRUPT_MESSAGE);
    }

    @Test
    void truncatedBatchIsCorruptRecord() {
        // proves: a batch cut short (its length says more than arrived) is refused, not trimmed
        MemoryRecords whole = batch(1L, "a", "b");
        ByteBuffer cut = whole.buffer();
        cut.limit(cut.limit() - 5);
        RuntimeException error = rejected(MemoryRecords.readableRecords(cut.slice()));
        assertThat(error).isInstanceOf(CorruptRecordException.class).hasMessageContaining("Truncated");
    }

    @Test
    void trailingBytesShorterThanAHeaderAreCorruptRecord() {
        // proves: a whole batch followed by a few stray bytes is refused as a unit
        MemoryRecords whole = batch(1L, "a");
        ByteBuffer buffer = ByteBuffer.allocate(whole.sizeInBytes() + 10);
        buffer.put(whole.buffer()).put(new byte[10]).flip();
        assertThat(rejected(MemoryRecords.readableRecords(buffer))).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void lengthBelowTheHeaderSizeIsCorruptRecord() {
        // proves: an impossible batch length is caught before anything parses it
        MemoryRecords records = batch(1L, "a");
        records.buffer().putInt(8, 10);
        assertThat(rejected(records)).isInstanceOf(CorruptRecordException.class).hasMessageContaining("length");
    }

    @Test
    void magicOtherThanTwoIsInvalidRecord() {
        // proves: v0/v1 message sets are refused; Brook stores record batch v2 only
        ByteBuffer buffer = ByteBuffer.allocate(256);
        MemoryRecordsBuilder builder = MemoryRecords.builder(buffer, RecordBatch.MAGIC_VALUE_V1, Compression.NONE,
            TimestampType.CREATE_TIME, 0L);
        builder.append(1L, null, "old".getBytes());
        RuntimeException error = rejected(builder.build());
        assertThat(error).isInstanceOf(InvalidRecordException.class).hasMessageContaining("magic 1");
        assertThat(Errors.forException(error)).isEqualTo(Errors.INVALID_RECORD);
    }

    @Test
    void batchAboveMaxMessageBytesIsRecordTooLarge() {
        // proves: max.message.bytes bounds each batch, checked at the bound + 1
        MemoryRecords large = batch(1L, TestRecords.filler('x', 2100));
        RuntimeException error = rejected(large);
        assertThat(error).isInstanceOf(RecordTooLargeException.class).hasMessageContaining("max.message.bytes");
        assertThat(Errors.forException(error)).isEqualTo(Errors.MESSAGE_TOO_LARGE);
    }

    @Test
    void batchOfExactlyMaxMessageBytesIsAccepted() {
        // proves: the bound itself is allowed
        String value = TestRecords.filler('y', 1000);
        int overhead = batch(1L, value).sizeInBytes() - 1000;
        MemoryRecords exact = batch(1L, TestRecords.filler('y', 2000 - overhead));
        assertThat(exact.sizeInBytes()).isEqualTo(2000);
        assertThat(log.appendAsLeader(exact, 0).ok()).isTrue();
    }

    @Test
    void requestLargerThanASegmentIsRecordBatchTooLarge() {
        // proves: a request that cannot fit even an empty segment is refused
        log.updateConfig(log.config().withOverrides(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 500)));
        MemoryRecords records = TestRecords.concat(batch(1L, TestRecords.filler('a', 300)),
            batch(1L, TestRecords.filler('b', 300)));
        assertThat(rejected(records)).isInstanceOf(RecordBatchTooLargeException.class);
    }

    @Test
    void recordCountThatDisagreesWithTheOffsetRangeIsInvalidRecord() {
        // proves: a header whose record count does not match lastOffsetDelta is refused (CRC made valid)
        MemoryRecords records = batch(1L, "a", "b", "c");
        records.buffer().putInt(RECORDS_COUNT_OFFSET, 2);
        rewriteCrc(records.buffer());
        assertThat(rejected(records)).isInstanceOf(InvalidRecordException.class).hasMessageContaining("declares 2");
    }

    @Test
    void lastOffsetDeltaThatDisagreesWithTheRecordsIsInvalidRecord() {
        // proves: offsets claimed by the header must match the records inside
        MemoryRecords records = batch(1L, "a", "b", "c");
        records.buffer().putInt(LAST_OFFSET_DELTA_OFFSET, 5);
        rewriteCrc(records.buffer());
        assertThat(rejected(records)).isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void zeroRecordCountIsInvalidRecord() {
        // proves: a batch must hold at least one record
        MemoryRecords records = batch(1L, "a");
        records.buffer().putInt(RECORDS_COUNT_OFFSET, 0);
        rewriteCrc(records.buffer());
        assertThat(rejected(records)).isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void malformedRecordInsideAValidBatchIsRefused() {
        // proves: records of an uncompressed batch are parsed, so a bad record length is caught (CRC made valid)
        MemoryRecords records = batch(1L, "abcdef", "ghijkl");
        ByteBuffer buffer = records.buffer();
        buffer.put(DefaultRecordBatch.RECORD_BATCH_OVERHEAD, (byte) 0x7e); // first record's length varint
        rewriteCrc(buffer);
        assertThat(rejected(records)).isInstanceOfAny(CorruptRecordException.class, InvalidRecordException.class);
    }

    @Test
    void garbageInsideACompressedBatchIsCorruptRecord() {
        // proves: compressed batches are decompressed and parsed too (CRC made valid)
        MemoryRecords records = batch(Compression.gzip().build(), 1L, "abcdef", "ghijkl", "mnopqr");
        ByteBuffer buffer = records.buffer();
        for (int i = DefaultRecordBatch.RECORD_BATCH_OVERHEAD + 12; i < buffer.limit(); i++) {
            buffer.put(i, (byte) 0x33);
        }
        rewriteCrc(buffer);
        assertThat(rejected(records)).isInstanceOfAny(CorruptRecordException.class, InvalidRecordException.class);
    }

    @Test
    void controlBatchFromAProducerIsInvalidRecord() {
        // proves: clients cannot write transaction markers
        MemoryRecords marker = MemoryRecords.withEndTransactionMarker(0L, 1L, (short) 0,
            new EndTransactionMarker(ControlRecordType.COMMIT, 0));
        assertThat(rejected(marker)).isInstanceOf(InvalidRecordException.class).hasMessageContaining("control");
    }

    @Test
    void transactionalBatchesAndIdempotentRequestsOfSeveralBatchesAreInvalidRecord() {
        // proves: no transaction is stored as if Brook served them, and an idempotent request is one batch (as Kafka)
        MemoryRecords transactional = MemoryRecords.withTransactionalRecords(Compression.NONE, 42L, (short) 0, 0,
            new org.apache.kafka.common.record.internal.SimpleRecord("v".getBytes()));
        assertThat(rejected(transactional)).isInstanceOf(InvalidRecordException.class).hasMessageContaining("transactional");
        MemoryRecords first = MemoryRecords.withIdempotentRecords(Compression.NONE, 42L, (short) 0, 0,
            new org.apache.kafka.common.record.internal.SimpleRecord("a".getBytes()));
        MemoryRecords second = MemoryRecords.withIdempotentRecords(Compression.NONE, 42L, (short) 0, 1,
            new org.apache.kafka.common.record.internal.SimpleRecord("b".getBytes()));
        java.nio.ByteBuffer both = java.nio.ByteBuffer.allocate(first.sizeInBytes() + second.sizeInBytes());
        both.put(first.buffer()).put(second.buffer()).flip();
        assertThat(rejected(MemoryRecords.readableRecords(both))).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("exactly one record batch");
    }

    @Test
    void emptyRequestIsInvalidRecord() {
        // proves: a request without batches is an error, not a no-op success
        assertThat(rejected(MemoryRecords.EMPTY)).isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void badSecondBatchFailsTheWholeRequestAndNothingIsStamped() {
        // proves: a request is all-or-nothing, and a refused request's bytes are not modified
        MemoryRecords bad = batch(1L, "y");
        bad.buffer().put(bad.sizeInBytes() - 1, (byte) 1);
        MemoryRecords request = TestRecords.concat(batch(1L, "x"), bad);
        MemoryRecords original = TestRecords.copy(request);
        assertThat(rejected(request)).isInstanceOf(CorruptRecordException.class).hasMessageContaining("batch 1");
        assertThat(request.buffer()).isEqualTo(original.buffer());
    }

    private static void rewriteCrc(ByteBuffer batch) {
        long crc = Crc32C.compute(batch, ATTRIBUTES_OFFSET, batch.limit() - ATTRIBUTES_OFFSET);
        batch.putInt(DefaultRecordBatch.CRC_OFFSET, (int) crc);
    }
}
