package io.brook.replication;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.nio.charset.StandardCharsets;

/** Record batches for the unit tests. */
final class Batches {

    private Batches() {
    }

    /** A producer's batch of {@code count} records (offsets from 0, no epoch yet). */
    static MemoryRecords produced(int count) {
        return MemoryRecords.withRecords(Compression.NONE, records(count));
    }

    /** A batch as a leader wrote it: {@code count} records from {@code baseOffset}, stamped {@code epoch}. */
    static MemoryRecords replicated(long baseOffset, int epoch, int count) {
        return MemoryRecords.withRecords(RecordBatch.CURRENT_MAGIC_VALUE, baseOffset, Compression.NONE,
            TimestampType.CREATE_TIME, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
            RecordBatch.NO_SEQUENCE, epoch, false, records(count));
    }

    private static SimpleRecord[] records(int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(1L, null, ("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        return records;
    }
}
