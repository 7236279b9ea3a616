package io.brook.quorum;

import io.brook.replication.EpochEndOffset;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * The metadata log as the quorum replica uses it. Every append is durable (fsynced) before the call
 * returns: a replica reports an offset to the leader, and the leader counts its own, only for records
 * on disk, so a committed record is on the disks of a majority of the voters.
 *
 * <p>Called only on the replica's thread; implementations block on file I/O.
 */
public interface QuorumLog {
  long startOffset();

  long endOffset();

  /** The leader epoch of the last batch, -1 for an empty log. */
  int lastEpoch();

  /** Kafka's OffsetsForLeaderEpoch on this log (the floor epoch at or below {@code epoch} and its end). */
  EpochEndOffset endOffsetForEpoch(int epoch);

  /** Stamps {@code records} with the next offsets and {@code epoch}, appends and fsyncs; returns the base offset. */
  long appendAsLeader(MemoryRecords records, int epoch);

  /** Appends batches that already carry their offsets and epochs (a fetched copy, or a control batch), fsynced. */
  void appendAsFollower(MemoryRecords records);

  /** Removes every record at {@code offset} and later. */
  void truncateTo(long offset);

  /** Whole batches from {@code offset}: at most {@code maxBytes}, but at least one batch. */
  MemoryRecords read(long offset, int maxBytes);
}
