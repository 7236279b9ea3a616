package io.brook.quorum;

import io.brook.replication.EpochEndOffset;
import io.brook.replication.EpochEndOffsetLookup;
import io.brook.storage.AppendResult;
import io.brook.storage.PartitionLog;
import java.util.List;
import org.apache.kafka.common.record.internal.MemoryRecords;

/** The quorum's log on a {@link PartitionLog} (the broker's {@code __cluster_metadata-0}). */
public final class PartitionQuorumLog implements QuorumLog {
  private final PartitionLog log;
  private final EpochEndOffsetLookup epochs;

  public PartitionQuorumLog(PartitionLog log) {
    this.log = log;
    this.epochs = EpochEndOffsetLookup.forLog(log);
  }

  public PartitionLog partitionLog() {
    return log;
  }

  @Override
  public long startOffset() {
    return log.logStartOffset();
  }

  @Override
  public long endOffset() {
    return log.logEndOffset();
  }

  @Override
  public int lastEpoch() {
    return log.latestEpoch().orElse(-1);
  }

  @Override
  public EpochEndOffset endOffsetForEpoch(int epoch) {
    return epochs.endOffsetFor(epoch);
  }

  @Override
  public long appendAsLeader(MemoryRecords records, int epoch) {
    List<AppendResult> results = log.appendAsLeader(List.of(records), epoch);
    AppendResult result = results.get(0);
    if (!result.ok()) {
      throw result.error();
    }
    log.flush();
    return result.firstOffset();
  }

  @Override
  public void appendAsFollower(MemoryRecords records) {
    log.appendAsFollower(records);
    log.flush();
  }

  @Override
  public void truncateTo(long offset) {
    log.truncateTo(offset);
    log.flush();
  }

  @Override
  public MemoryRecords read(long offset, int maxBytes) {
    return log.read(offset, maxBytes, log.logEndOffset(), true).toMemoryRecords();
  }
}
