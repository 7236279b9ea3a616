package io.brook.replication.sim;

import io.brook.replication.EpochEndOffsetLookup;
import org.apache.kafka.common.record.internal.MemoryRecords;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The part of {@link io.brook.storage.PartitionLog} replication depends on, with its exact
 * semantics, so the simulation runs on a fast in-memory model ({@link MemoryLog}) and, for some
 * seeds, on real logs ({@link PartitionLogReplica}). {@code MemoryLogEquivalenceTest} checks that
 * both behave alike.
 */
interface ReplicaLog {

    /** Appends a producer's batches with consecutive offsets from the log end, stamped with {@code epoch}. */
    Appended appendAsLeader(MemoryRecords records, int epoch);

    /** Appends the leader's batches unchanged; they must start exactly at the log end. */
    void appendAsFollower(MemoryRecords records);

    /** Whole batches from the one holding {@code offset}, at least one, up to {@code maxBytes}. */
    MemoryRecords read(long offset, int maxBytes);

    OptionalLong endOffsetForEpoch(int epoch);

    OptionalInt latestEpoch();

    /** Removes every offset >= {@code offset} (the whole batch holding it). */
    void truncateTo(long offset);

    void truncateFullyAndStartAt(long offset);

    long logStartOffset();

    long logEndOffset();

    /** Every batch from the one holding {@code offset} to the end (for the invariant checks). */
    List<LogBatch> batchesFrom(long offset);

    /** The process restarted: a real log is closed and reopened (recovery, epoch checkpoint reload). */
    void reopen();

    void close();

    default int latestEpochOrUndefined() {
        return latestEpoch().orElse(-1);
    }

    default EpochEndOffsetLookup lookup() {
        return EpochEndOffsetLookup.of(this::endOffsetForEpoch, this::latestEpoch, this::logStartOffset,
            this::logEndOffset);
    }

    record Appended(long firstOffset, long lastOffset) {}
}
