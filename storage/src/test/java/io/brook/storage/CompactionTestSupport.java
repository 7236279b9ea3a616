package io.brook.storage;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keyed batches (with tombstones) and a whole-log reader for the compaction tests. */
final class CompactionTestSupport {

    private CompactionTestSupport() {
    }

    /** One record as the tests see it: {@code value} null for a tombstone. */
    record KeyedRecord(long offset, String key, String value) {
    }

    /** One batch of records given as alternating key and value ({@code null} value: a tombstone). */
    static MemoryRecords keyed(long timestampMs, Compression compression, String... keysAndValues) {
        SimpleRecord[] records = new SimpleRecord[keysAndValues.length / 2];
        for (int i = 0; i < records.length; i++) {
            String value = keysAndValues[2 * i + 1];
            records[i] = new SimpleRecord(timestampMs, keysAndValues[2 * i].getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(compression, records);
    }

    static MemoryRecords keyed(long timestampMs, String... keysAndValues) {
        return keyed(timestampMs, Compression.NONE, keysAndValues);
    }

    /** Every record from the log start to the log end, reading the way a consumer does (batch by batch, nextOffset). */
    static List<KeyedRecord> readAll(PartitionLog log) {
        List<KeyedRecord> all = new ArrayList<>();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset()) {
            MemoryRecords records = log.read(offset, 4096, Long.MAX_VALUE, true).toMemoryRecords();
            long next = offset;
            for (RecordBatch batch : records.batches()) {
                for (Record record : batch) {
                    if (record.offset() >= offset) {
                        all.add(new KeyedRecord(record.offset(), string(record.key()), string(record.value())));
                    }
                }
                next = batch.nextOffset();
            }
            if (next <= offset) {
                throw new AssertionError("A read at offset " + offset + " made no progress");
            }
            offset = next;
        }
        return all;
    }

    private static String string(ByteBuffer bytes) {
        return bytes == null ? null : StandardCharsets.UTF_8.decode(bytes.duplicate()).toString();
    }
}
