package io.brook.replication.sim;

import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One record batch of a replica's log as the simulation compares them: offsets, leader epoch and
 * the exact bytes (v2 batch, header included). Two replicas agree on a batch iff the bytes are equal.
 */
record LogBatch(long baseOffset, long lastOffset, int epoch, ByteBuffer bytes) {

    LogBatch {
        bytes = bytes.asReadOnlyBuffer();
    }

    static LogBatch copyOf(MutableRecordBatch batch) {
        ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
        batch.writeTo(copy);
        copy.flip();
        return new LogBatch(batch.baseOffset(), batch.lastOffset(), batch.partitionLeaderEpoch(), copy);
    }

    int sizeInBytes() {
        return bytes.remaining();
    }

    /** The record values, decoded as UTF-8 (the producers' payload tags). */
    List<String> values() {
        List<String> values = new ArrayList<>();
        for (MutableRecordBatch batch : org.apache.kafka.common.record.internal.MemoryRecords
            .readableRecords(bytes.duplicate()).batches()) {
            for (Record record : batch) {
                values.add(StandardCharsets.UTF_8.decode(record.value()).toString());
            }
        }
        return values;
    }

    boolean sameBytes(LogBatch other) {
        return bytes.equals(other.bytes);
    }

    @Override
    public String toString() {
        return "[" + baseOffset + ".." + lastOffset + "]e" + epoch;
    }
}
