package io.brook.storage;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds and decodes record batches for tests (shared with other modules through the test jar). */
public final class TestRecords {

    private TestRecords() {
    }

    /** One uncompressed v2 batch of {@code values}, every record stamped {@code timestampMs}. */
    public static MemoryRecords batch(long timestampMs, String... values) {
        return batch(Compression.NONE, timestampMs, values);
    }

    /** One v2 batch of {@code values}, compressed with {@code compression}. */
    public static MemoryRecords batch(Compression compression, long timestampMs, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(timestampMs, ("k" + i).getBytes(StandardCharsets.UTF_8),
                values[i].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(compression, records);
    }

    /** One uncompressed batch with one record per timestamp (value = "v" + timestamp). */
    public static MemoryRecords batchWithTimestamps(long... timestampsMs) {
        SimpleRecord[] records = new SimpleRecord[timestampsMs.length];
        for (int i = 0; i < timestampsMs.length; i++) {
            records[i] = new SimpleRecord(timestampsMs[i], null, ("v" + timestampsMs[i]).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    /** Several requests' batches back to back in one buffer (one request with several batches). */
    public static MemoryRecords concat(MemoryRecords... parts) {
        int size = 0;
        for (MemoryRecords part : parts) {
            size += part.sizeInBytes();
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        for (MemoryRecords part : parts) {
            buffer.put(part.buffer());
        }
        buffer.flip();
        return MemoryRecords.readableRecords(buffer);
    }

    /** A copy of the bytes, so a test can keep the original while the log stamps headers. */
    public static MemoryRecords copy(MemoryRecords records) {
        ByteBuffer copy = ByteBuffer.allocate(records.sizeInBytes());
        copy.put(records.buffer()).flip();
        return MemoryRecords.readableRecords(copy);
    }

    /** The record values, decoded as UTF-8, in log order. */
    public static List<String> values(Records records) {
        List<String> values = new ArrayList<>();
        for (RecordBatch batch : records.batches()) {
            for (Record record : batch) {
                values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
            }
        }
        return values;
    }

    /** The record offsets in log order. */
    public static List<Long> offsets(Records records) {
        List<Long> offsets = new ArrayList<>();
        for (RecordBatch batch : records.batches()) {
            for (Record record : batch) {
                offsets.add(record.offset());
            }
        }
        return offsets;
    }

    /** A string of {@code length} characters, for records of a chosen size. */
    public static String filler(char c, int length) {
        return String.valueOf(c).repeat(length);
    }
}
