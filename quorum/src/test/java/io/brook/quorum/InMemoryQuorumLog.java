package io.brook.quorum;

import io.brook.replication.EpochEndOffset;
import io.brook.replication.EpochEndOffsetLookup;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The quorum's log in memory, batch by batch, for unit tests and the simulation. Every append is
 * "on disk" at once (what the simulation keeps across a crash), as the real log's appends are
 * fsynced before they return.
 */
final class InMemoryQuorumLog implements QuorumLog {
  private final List<MemoryRecords> batches = new ArrayList<>();
  private final List<String> signatures = new ArrayList<>();
  private long endOffset;
  private final EpochEndOffsetLookup epochs = EpochEndOffsetLookup.of(this::endOffsetForEpochOnly, this::latestEpoch,
      () -> 0L, () -> endOffset);

  @Override
  public long startOffset() {
    return 0;
  }

  @Override
  public long endOffset() {
    return endOffset;
  }

  @Override
  public int lastEpoch() {
    return latestEpoch().orElse(-1);
  }

  private OptionalInt latestEpoch() {
    return batches.isEmpty() ? OptionalInt.empty() : OptionalInt.of(batch(batches.size() - 1).partitionLeaderEpoch());
  }

  /** PartitionLog's semantics: the start offset of the first epoch above {@code epoch}, or the log end. */
  private OptionalLong endOffsetForEpochOnly(int epoch) {
    if (batches.isEmpty() || epoch < batch(0).partitionLeaderEpoch()) {
      return OptionalLong.empty();
    }
    for (MemoryRecords records : batches) {
      RecordBatch b = records.batches().iterator().next();
      if (b.partitionLeaderEpoch() > epoch) {
        return OptionalLong.of(b.baseOffset());
      }
    }
    return OptionalLong.of(endOffset);
  }

  @Override
  public EpochEndOffset endOffsetForEpoch(int epoch) {
    return epochs.endOffsetFor(epoch);
  }

  @Override
  public long appendAsLeader(MemoryRecords records, int epoch) {
    long base = endOffset;
    ByteBuffer copy = ByteBuffer.allocate(records.sizeInBytes());
    copy.put(records.buffer().duplicate()).flip();
    MemoryRecords stamped = MemoryRecords.readableRecords(copy);
    long next = base;
    for (MutableRecordBatch batch : stamped.batches()) {
      long count = batch.lastOffset() - batch.baseOffset() + 1;
      batch.setLastOffset(next + count - 1);
      batch.setPartitionLeaderEpoch(epoch);
      next += count;
    }
    appendAsFollower(stamped);
    return base;
  }

  @Override
  public void appendAsFollower(MemoryRecords records) {
    for (MutableRecordBatch batch : records.batches()) {
      if (batch.baseOffset() != endOffset) {
        throw new IllegalStateException("batch at " + batch.baseOffset() + " does not continue the log at " + endOffset);
      }
      if (!batches.isEmpty() && batch.partitionLeaderEpoch() < lastEpoch()) {
        throw new IllegalStateException("epoch " + batch.partitionLeaderEpoch() + " after " + lastEpoch());
      }
      ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
      batch.writeTo(copy);
      copy.flip();
      MemoryRecords stored = MemoryRecords.readableRecords(copy);
      batches.add(stored);
      signatures.add(signature(stored.batches().iterator().next()));
      endOffset = batch.lastOffset() + 1;
    }
  }

  @Override
  public void truncateTo(long offset) {
    while (!batches.isEmpty() && batch(batches.size() - 1).baseOffset() >= offset) {
      batches.remove(batches.size() - 1);
      signatures.remove(signatures.size() - 1);
    }
    if (!batches.isEmpty() && batch(batches.size() - 1).lastOffset() >= offset) {
      throw new IllegalStateException("truncation inside a batch at " + offset);
    }
    endOffset = batches.isEmpty() ? 0 : batch(batches.size() - 1).lastOffset() + 1;
  }

  @Override
  public MemoryRecords read(long offset, int maxBytes) {
    List<MemoryRecords> selected = new ArrayList<>();
    int size = 0;
    for (MemoryRecords records : batches) {
      RecordBatch b = records.batches().iterator().next();
      if (b.lastOffset() < offset) {
        continue;
      }
      if (!selected.isEmpty() && size + b.sizeInBytes() > maxBytes) {
        break;
      }
      selected.add(records);
      size += b.sizeInBytes();
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    selected.forEach(records -> out.put(records.buffer().duplicate()));
    out.flip();
    return MemoryRecords.readableRecords(out);
  }

  private RecordBatch batch(int index) {
    return batches.get(index).batches().iterator().next();
  }

  /**
   * Each batch as "baseOffset@epoch:value" (the first record's value, or "control"), for comparing
   * logs; with one record per batch, as in the tests, index = offset.
   */
  List<String> entries() {
    return signatures;
  }

  private static String signature(RecordBatch b) {
    return b.baseOffset() + "@" + b.partitionLeaderEpoch() + (b.isControlBatch() ? ":control" : ":" + valueOf(b));
  }

  private static String valueOf(RecordBatch batch) {
    var record = batch.iterator().next();
    ByteBuffer value = record.value();
    byte[] bytes = new byte[value.remaining()];
    value.get(bytes);
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }
}
