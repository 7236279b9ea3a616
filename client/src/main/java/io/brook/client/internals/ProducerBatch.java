package io.brook.client.internals;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The records of one partition collected into one v2 record batch (base offset 0, CreateTime),
 * with each record's future. Built by {@link MemoryRecordsBuilder} into a buffer of
 * {@code max(batch.size, first record)} bytes reserved from {@link BufferMemory}.
 *
 * <p>Threads: appended to only under its partition deque's lock in {@link RecordAccumulator};
 * once the sender has removed it from the deque it is owned by the producer's context (closed,
 * sent, retried, completed there). Invariant: the records' futures complete exactly once, and
 * {@link #done()} completes after all of them.
 */
public final class ProducerBatch {
  /** What a record's future needs to build its {@link RecordMetadata}. */
  private record Pending(Promise<RecordMetadata> promise, long timestampMs, int keySize, int valueSize) {}

  final TopicPartition tp;
  final long createdMs;
  final int reservedBytes;
  private final MemoryRecordsBuilder builder;
  private final List<Pending> pending = new ArrayList<>();
  private final Promise<Void> done = Promise.promise();
  private boolean full;
  private MemoryRecords records;
  int attempts;
  long retryAtMs;
  boolean completed;

  ProducerBatch(TopicPartition tp, Compression compression, int capacity, long createdMs) {
    this.tp = tp;
    this.createdMs = createdMs;
    this.reservedBytes = capacity;
    this.builder = MemoryRecords.builder(ByteBuffer.allocate(capacity), RecordBatch.CURRENT_MAGIC_VALUE,
        compression, TimestampType.CREATE_TIME, 0L);
  }

  /** Appends the record unless the batch is full; a batch always takes its first record. */
  boolean tryAppend(long timestampMs, byte[] key, byte[] value, Header[] headers, Promise<RecordMetadata> promise) {
    if (full || !builder.hasRoomFor(timestampMs, key, value, headers)) {
      full = true;
      return false;
    }
    builder.append(timestampMs, key, value, headers);
    pending.add(new Pending(promise, timestampMs, key == null ? -1 : key.length, value == null ? -1 : value.length));
    if (builder.isFull()) {
      full = true;
    }
    return true;
  }

  boolean isFull() {
    return full;
  }

  int recordCount() {
    return pending.size();
  }

  /** Ends appends and writes the batch header; idempotent. The batch's bytes, ready to send. */
  MemoryRecords close() {
    if (records == null) {
      full = true;
      records = builder.build();
    }
    return records;
  }

  int sizeInBytes() {
    return records != null ? records.sizeInBytes() : builder.estimatedSizeInBytes();
  }

  /**
   * Completes every record: record i gets offset {@code baseOffset + i} ({@code -1} stays -1 for
   * acks=0). Answers false if the batch was already completed (e.g. expired meanwhile).
   */
  boolean complete(long baseOffset) {
    if (completed) {
      return false;
    }
    completed = true;
    for (int i = 0; i < pending.size(); i++) {
      Pending p = pending.get(i);
      p.promise.tryComplete(new RecordMetadata(tp, baseOffset, i, p.timestampMs, p.keySize, p.valueSize));
    }
    done.tryComplete();
    return true;
  }

  /** Fails every record with {@code error}; false if already completed. */
  boolean fail(RuntimeException error) {
    if (completed) {
      return false;
    }
    completed = true;
    for (Pending p : pending) {
      p.promise.tryFail(error);
    }
    done.tryComplete();
    return true;
  }

  /** Completes once every record of the batch is done, successfully or not. */
  Future<Void> done() {
    return done.future();
  }

  @Override
  public String toString() {
    return "ProducerBatch(" + tp + ", " + pending.size() + " records, attempt " + attempts + ")";
  }
}
