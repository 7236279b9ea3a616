package io.brook.replication.sim;

import io.brook.storage.AppendResult;
import io.brook.storage.LogConfig;
import io.brook.storage.MockTime;
import io.brook.storage.PartitionLog;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A real {@link PartitionLog} in a directory, behind the simulation's {@link ReplicaLog}. Small
 * segments make reads and truncations cross segment boundaries. A restart closes and reopens the
 * log, so the leader epoch checkpoint and recovery take part.
 */
final class PartitionLogReplica implements ReplicaLog {

    private static final LogConfig CONFIG = LogConfig.fromMap(Map.of(LogConfig.SEGMENT_BYTES_CONFIG, 4096,
        LogConfig.FILE_DELETE_DELAY_MS_CONFIG, 0L, LogConfig.SEGMENT_INDEX_BYTES_CONFIG, 4096));

    private final Path dir;
    private final MockTime time = new MockTime();
    private PartitionLog log;

    PartitionLogReplica(Path dir) {
        this.dir = dir;
        this.log = open();
    }

    private PartitionLog open() {
        try {
            return PartitionLog.open(dir, CONFIG, time);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Appended appendAsLeader(MemoryRecords records, int epoch) {
        ByteBuffer copy = ByteBuffer.allocate(records.sizeInBytes());
        copy.put(records.buffer().duplicate()).flip();
        AppendResult result = log.appendAsLeader(MemoryRecords.readableRecords(copy), epoch);
        if (!result.ok()) {
            throw result.error();
        }
        return new Appended(result.firstOffset(), result.lastOffset());
    }

    @Override
    public void appendAsFollower(MemoryRecords records) {
        log.appendAsFollower(records);
    }

    @Override
    public MemoryRecords read(long offset, int maxBytes) {
        return log.read(offset, maxBytes, Long.MAX_VALUE, true).toMemoryRecords();
    }

    @Override
    public OptionalLong endOffsetForEpoch(int epoch) {
        return log.endOffsetForEpoch(epoch);
    }

    @Override
    public OptionalInt latestEpoch() {
        return log.latestEpoch();
    }

    @Override
    public void truncateTo(long offset) {
        log.truncateTo(offset);
    }

    @Override
    public void truncateFullyAndStartAt(long offset) {
        log.truncateFullyAndStartAt(offset);
    }

    @Override
    public long logStartOffset() {
        return log.logStartOffset();
    }

    @Override
    public long logEndOffset() {
        return log.logEndOffset();
    }

    @Override
    public List<LogBatch> batchesFrom(long offset) {
        List<LogBatch> batches = new ArrayList<>();
        long next = offset;
        while (next < log.logEndOffset()) {
            MemoryRecords chunk = log.read(next, Integer.MAX_VALUE, Long.MAX_VALUE, true).toMemoryRecords();
            for (MutableRecordBatch batch : chunk.batches()) {
                batches.add(LogBatch.copyOf(batch));
                next = batch.lastOffset() + 1;
            }
        }
        return batches;
    }

    @Override
    public void reopen() {
        log.close();
        log = open();
    }

    @Override
    public void close() {
        log.close();
    }

    @Override
    public String toString() {
        return log.toString() + " latest epoch " + log.latestEpoch();
    }
}
