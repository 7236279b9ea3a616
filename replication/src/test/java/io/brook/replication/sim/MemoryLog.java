package io.brook.replication.sim;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * An in-memory partition log with {@link io.brook.storage.PartitionLog}'s replication semantics:
 * leader appends stamp offsets and the leader epoch into the batch header (the bytes change exactly
 * as the real log changes them), follower appends must continue the log, truncation removes whole
 * batches, and the leader epoch cache follows {@code LeaderEpochCache} (an epoch is recorded only if
 * newer than the latest; truncation forgets epochs starting at or after the new end).
 *
 * <p>It survives a simulated crash unchanged: the page cache assumption (no fsync modelled).
 * Owned by one simulated broker; the simulation is single-threaded.
 */
final class MemoryLog implements ReplicaLog {

    private final List<LogBatch> batches = new ArrayList<>();
    private final TreeMap<Integer, Long> epochStarts = new TreeMap<>();
    private long logStartOffset;
    private long logEndOffset;

    @Override
    public Appended appendAsLeader(MemoryRecords records, int epoch) {
        ByteBuffer copy = ByteBuffer.allocate(records.sizeInBytes());
        copy.put(records.buffer().duplicate()).flip();
        long first = logEndOffset;
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(copy).batches()) {
            long count = batch.lastOffset() - batch.baseOffset();
            batch.setLastOffset(logEndOffset + count);
            batch.setPartitionLeaderEpoch(epoch);
            add(LogBatch.copyOf(batch));
        }
        assignEpoch(epoch, first);
        return new Appended(first, logEndOffset - 1);
    }

    @Override
    public void appendAsFollower(MemoryRecords records) {
        long expected = logEndOffset;
        List<LogBatch> incoming = new ArrayList<>();
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.baseOffset() != expected) {
                throw new InvalidRecordException("Batch at " + batch.baseOffset() + " does not continue the log at " + expected);
            }
            incoming.add(LogBatch.copyOf(batch));
            expected = batch.lastOffset() + 1;
        }
        for (LogBatch batch : incoming) {
            add(batch);
            assignEpoch(batch.epoch(), batch.baseOffset());
        }
    }

    private void add(LogBatch batch) {
        batches.add(batch);
        logEndOffset = batch.lastOffset() + 1;
    }

    /** LeaderEpochCache.assign: only a newer epoch is recorded, replacing entries at or after its start. */
    private void assignEpoch(int epoch, long startOffset) {
        if (epoch < 0 || (!epochStarts.isEmpty() && epoch <= epochStarts.lastKey())) {
            return;
        }
        epochStarts.values().removeIf(offset -> offset >= startOffset);
        epochStarts.put(epoch, startOffset);
    }

    @Override
    public MemoryRecords read(long offset, int maxBytes) {
        if (offset < logStartOffset || offset > logEndOffset) {
            throw new OffsetOutOfRangeException("Offset " + offset + " outside [" + logStartOffset + ", " + logEndOffset + "]");
        }
        List<LogBatch> chosen = new ArrayList<>();
        int size = 0;
        for (int i = indexOfBatchHolding(offset); i < batches.size(); i++) {
            LogBatch batch = batches.get(i);
            if (!chosen.isEmpty() && size + batch.sizeInBytes() > maxBytes) {
                break;
            }
            chosen.add(batch);
            size += batch.sizeInBytes();
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        chosen.forEach(batch -> buffer.put(batch.bytes().duplicate()));
        return MemoryRecords.readableRecords(buffer.flip());
    }

    /** The index of the first batch whose last offset is >= {@code offset} (batches.size() if none). */
    private int indexOfBatchHolding(long offset) {
        int low = 0;
        int high = batches.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (batches.get(mid).lastOffset() < offset) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    @Override
    public OptionalLong endOffsetForEpoch(int epoch) {
        if (epochStarts.isEmpty() || epoch < epochStarts.firstKey() || epoch > epochStarts.lastKey()) {
            return OptionalLong.empty();
        }
        Map.Entry<Integer, Long> next = epochStarts.higherEntry(epoch);
        return OptionalLong.of(next == null ? logEndOffset : next.getValue());
    }

    @Override
    public OptionalInt latestEpoch() {
        return epochStarts.isEmpty() ? OptionalInt.empty() : OptionalInt.of(epochStarts.lastKey());
    }

    @Override
    public void truncateTo(long offset) {
        if (offset >= logEndOffset) {
            return;
        }
        if (offset < logStartOffset) {
            truncateFullyAndStartAt(offset);
            return;
        }
        int keep = indexOfBatchHolding(offset);
        batches.subList(keep, batches.size()).clear();
        logEndOffset = batches.isEmpty() ? logStartOffset : batches.get(batches.size() - 1).lastOffset() + 1;
        long end = logEndOffset;
        epochStarts.values().removeIf(start -> start >= end);
    }

    @Override
    public void truncateFullyAndStartAt(long offset) {
        batches.clear();
        epochStarts.clear();
        logStartOffset = offset;
        logEndOffset = offset;
    }

    @Override
    public long logStartOffset() {
        return logStartOffset;
    }

    @Override
    public long logEndOffset() {
        return logEndOffset;
    }

    @Override
    public List<LogBatch> batchesFrom(long offset) {
        return batches.subList(indexOfBatchHolding(offset), batches.size());
    }

    @Override
    public void reopen() {
        // the page cache survives the process: nothing to do
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "MemoryLog[" + logStartOffset + ", " + logEndOffset + ") epochs " + epochStarts;
    }
}
