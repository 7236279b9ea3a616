package io.brook.storage.internals;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The idempotent producers of one log, as Kafka's {@code ProducerStateManager} keeps them (no
 * transactions): for each producer id its epoch and the last {@value #MAX_BATCHES} batches it wrote
 * (sequence range, offsets, max timestamp). The leader checks an idempotent batch against it before
 * giving it offsets: a batch the producer sent again (same epoch and sequence range as a cached one)
 * is a duplicate, answered with the offsets it was first written at and not written again; an older
 * epoch is {@link InvalidProducerEpochException}; a newer epoch must start at sequence 0; otherwise the
 * batch must continue the last one's sequence, else {@link OutOfOrderSequenceException}. A producer id
 * this log has no state for is accepted at any sequence (its batches may have been removed by
 * retention, or it expired after {@code producer.id.expiration.ms}: {@link #removeExpired}), as
 * Kafka's {@code ProducerAppendInfo} does for an unknown producer since KIP-360. Followers, and a log opened again, apply batches without checks, so a new leader has
 * the state its predecessor had for every batch it holds.
 *
 * <p>Not thread-safe: owned by its {@code PartitionLog}.
 */
public final class ProducerStates {
  public static final int MAX_BATCHES = 5;

  /** One batch a producer wrote: its sequence range and where it is in the log. */
  public record BatchMetadata(int firstSequence, int lastSequence, long firstOffset, long lastOffset, long maxTimestamp) {}

  /** A producer's epoch and its newest batches, oldest first. */
  private record Entry(short epoch, ArrayDeque<BatchMetadata> batches) {
    Entry copy() {
      return new Entry(epoch, new ArrayDeque<>(batches));
    }

    int lastSequence() {
      return batches.isEmpty() ? RecordBatch.NO_SEQUENCE : batches.peekLast().lastSequence();
    }
  }

  private final Map<Long, Entry> producers = new HashMap<>();

  /** {@code <offset>.snapshot}: the state as of that log end, left by a clean close or a roll. */
  public static final String SNAPSHOT_SUFFIX = ".snapshot";
  private static final int SNAPSHOT_MAGIC = 0x42505331; // "BPS1"

  /** How many producers have state. */
  public int size() {
    return producers.size();
  }

  /**
   * Checks an idempotent {@code batch} the leader is about to append: empty if it is to be written,
   * or the batch it duplicates (already in the log, not to be written again).
   *
   * @throws InvalidProducerEpochException an epoch older than the producer's
   * @throws OutOfOrderSequenceException   a sequence that does not continue the producer's last batch
   */
  public Optional<BatchMetadata> checkForLeader(RecordBatch batch) {
    Entry entry = producers.get(batch.producerId());
    if (entry == null) {
      return Optional.empty();
    }
    short epoch = batch.producerEpoch();
    if (epoch < entry.epoch()) {
      throw new InvalidProducerEpochException("Producer " + batch.producerId() + " wrote with epoch " + epoch
          + ", older than its epoch " + entry.epoch());
    }
    int firstSequence = batch.baseSequence();
    if (epoch > entry.epoch()) {
      if (firstSequence != 0) {
        throw new OutOfOrderSequenceException("Producer " + batch.producerId() + " starts its new epoch " + epoch
            + " at sequence " + firstSequence + ", not 0");
      }
      return Optional.empty();
    }
    for (BatchMetadata cached : entry.batches()) {
      if (cached.firstSequence() == firstSequence && cached.lastSequence() == batch.lastSequence()) {
        return Optional.of(cached);
      }
    }
    int last = entry.lastSequence();
    if (last != RecordBatch.NO_SEQUENCE && firstSequence != DefaultRecordBatch.incrementSequence(last, 1)) {
      throw new OutOfOrderSequenceException("Producer " + batch.producerId() + " sent sequence " + firstSequence
          + " at epoch " + epoch + "; the next one expected is " + DefaultRecordBatch.incrementSequence(last, 1));
    }
    return Optional.empty();
  }

  /** Records a batch written to the log (offsets assigned): the leader's after its check, a follower's, a replay's. */
  public void apply(RecordBatch batch) {
    if (!batch.hasProducerId()) {
      return;
    }
    Entry entry = producers.get(batch.producerId());
    if (entry == null || batch.producerEpoch() > entry.epoch()) {
      entry = new Entry(batch.producerEpoch(), new ArrayDeque<>());
      producers.put(batch.producerId(), entry);
    } else if (batch.producerEpoch() < entry.epoch()) {
      return; // a fenced producer's late batch changes nothing
    }
    entry.batches().addLast(new BatchMetadata(batch.baseSequence(), batch.lastSequence(), batch.baseOffset(),
        batch.lastOffset(), batch.maxTimestamp()));
    if (entry.batches().size() > MAX_BATCHES) {
      entry.batches().removeFirst();
    }
  }

  /**
   * The producers a group of leader appends changed, as they were before: put back with
   * {@link #rollBack} when those appends could not be written.
   */
  public static final class Changes {
    private final Map<Long, Entry> before = new HashMap<>();
  }

  /** As {@link #apply}, for a leader append that may still fail to be written: {@code changes} keeps what it replaces. */
  public void applyForLeader(RecordBatch batch, Changes changes) {
    if (!changes.before.containsKey(batch.producerId())) {
      Entry entry = producers.get(batch.producerId());
      changes.before.put(batch.producerId(), entry == null ? null : entry.copy());
    }
    apply(batch);
  }

  /** Puts back the producers as they were before {@code changes}. */
  public void rollBack(Changes changes) {
    changes.before.forEach((id, entry) -> {
      if (entry == null) {
        producers.remove(id);
      } else {
        producers.put(id, entry);
      }
    });
  }

  /** The state as of log end {@code endOffset}, with a CRC: what a clean close leaves for the next open. */
  public byte[] snapshot(long endOffset) throws java.io.IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
    out.writeInt(SNAPSHOT_MAGIC);
    out.writeLong(endOffset);
    out.writeInt(producers.size());
    for (Map.Entry<Long, Entry> producer : producers.entrySet()) {
      out.writeLong(producer.getKey());
      out.writeShort(producer.getValue().epoch());
      out.writeInt(producer.getValue().batches().size());
      for (BatchMetadata batch : producer.getValue().batches()) {
        out.writeInt(batch.firstSequence());
        out.writeInt(batch.lastSequence());
        out.writeLong(batch.firstOffset());
        out.writeLong(batch.lastOffset());
        out.writeLong(batch.maxTimestamp());
      }
    }
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes.toByteArray());
    out.writeInt((int) crc.getValue());
    return bytes.toByteArray();
  }

  /**
   * Takes the state of a {@link #snapshot} made at log end {@code endOffset} that reads whole (CRC); false
   * otherwise (another log end, damage): the caller then rebuilds from the batches.
   */
  public boolean load(byte[] content, long endOffset) {
    try {
      if (content.length < 20) {
        return false;
      }
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      crc.update(content, 0, content.length - 4);
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
      if (buffer.getInt(content.length - 4) != (int) crc.getValue() || buffer.getInt() != SNAPSHOT_MAGIC
          || buffer.getLong() != endOffset) {
        return false;
      }
      Map<Long, Entry> loaded = new HashMap<>();
      int count = buffer.getInt();
      for (int i = 0; i < count; i++) {
        long id = buffer.getLong();
        short epoch = buffer.getShort();
        int batches = buffer.getInt();
        ArrayDeque<BatchMetadata> cached = new ArrayDeque<>();
        for (int b = 0; b < batches; b++) {
          cached.addLast(new BatchMetadata(buffer.getInt(), buffer.getInt(), buffer.getLong(), buffer.getLong(),
              buffer.getLong()));
        }
        loaded.put(id, new Entry(epoch, cached));
      }
      producers.clear();
      producers.putAll(loaded);
      return true;
    } catch (RuntimeException unreadable) {
      return false;
    }
  }

  /** Forgets every producer (the log is rebuilt from its batches next). */
  public void clear() {
    producers.clear();
  }

  /**
   * Forgets the producers idle for {@code producer.id.expiration.ms}, as Kafka's
   * {@code ProducerStateManager.removeExpiredProducers}: expired when {@code nowMs - lastTimestamp >=
   * expirationMs}, where lastTimestamp is the max timestamp of the producer's newest batch (Kafka's
   * {@code ProducerStateEntry.lastTimestamp}; under LogAppendTime the leader's append time). It is a
   * field of the batch, not a clock reading of this replica, so every replica and every reload from
   * the log expires the same producers.
   *
   * @return how many were removed
   */
  public int removeExpired(long nowMs, long expirationMs) {
    int before = producers.size();
    producers.values().removeIf(e -> e.batches().isEmpty() || nowMs - e.batches().peekLast().maxTimestamp() >= expirationMs);
    return before - producers.size();
  }

  /**
   * For each producer, the last offset of its newest batch: the batch the cleaner must keep (at
   * least as an empty header) so that the state survives a rebuild from the log (Kafka's
   * {@code lastRecordsOfActiveProducers}).
   */
  public Map<Long, Long> lastBatchOffsets() {
    Map<Long, Long> last = new HashMap<>();
    producers.forEach((id, entry) -> {
      if (!entry.batches().isEmpty()) {
        last.put(id, entry.batches().peekLast().lastOffset());
      }
    });
    return last;
  }

  /** The producer's epoch and last sequence, if it has state (tests, diagnostics). */
  public Optional<ProducerState> producer(long producerId) {
    Entry entry = producers.get(producerId);
    return entry == null ? Optional.empty() : Optional.of(new ProducerState(entry.epoch(), entry.lastSequence()));
  }

  /** What {@link #producer} tells. */
  public record ProducerState(short epoch, int lastSequence) {}
}
