package io.brook.client.internals;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.internals.Crc32C;

/**
 * The records of one partition collected into one v2 record batch (base offset 0, CreateTime),
 * with each record's future. Built by {@link MemoryRecordsBuilder} into a buffer of
 * {@code max(batch.size, first record)} bytes reserved from {@link BufferMemory}.
 *
 * <p>Threads: appended to only under its partition deque's lock in {@link RecordAccumulator};
 * once the sender has removed it from the deque it is owned by the producer's context (closed,
 * sent, retried, completed there). Invariant: the records' futures complete exactly once, and
 * {@link #done()} completes after all of them. A record sent from another Vert.x context than the
 * producer's is completed on that context: one hop per batch and context, not per record
 * ({@link CallerContext}).
 */
public final class ProducerBatch {
  // the v2 batch header (Kafka's DefaultRecordBatch, whose constants are not public): where a renumbering writes
  private static final int ATTRIBUTES_OFFSET = 21;
  private static final int PRODUCER_ID_OFFSET = 43;
  private static final int PRODUCER_EPOCH_OFFSET = 51;
  private static final int BASE_SEQUENCE_OFFSET = 53;

  /**
   * What a record's future needs: its {@link RecordMetadata} fields and the context to complete it
   * on ({@code caller}, null for the producer's own context or a thread without one).
   */
  private record Pending(Promise<RecordMetadata> promise, Context caller, long timestampMs, int keySize,
      int valueSize) {}

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
  /** Idempotence: where the batch stands in its partition's numbering, -1 until it has a sequence. */
  long sequenceOrder = -1;
  private long producerId = RecordBatch.NO_PRODUCER_ID;
  private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
  private int baseSequence = RecordBatch.NO_SEQUENCE;

  ProducerBatch(TopicPartition tp, Compression compression, int capacity, long createdMs) {
    this.tp = tp;
    this.createdMs = createdMs;
    this.reservedBytes = capacity;
    this.builder = MemoryRecords.builder(ByteBuffer.allocate(capacity), RecordBatch.CURRENT_MAGIC_VALUE,
        compression, TimestampType.CREATE_TIME, 0L);
  }

  /** Appends the record unless the batch is full; a batch always takes its first record. */
  boolean tryAppend(long timestampMs, byte[] key, byte[] value, Header[] headers, Promise<RecordMetadata> promise,
      Context caller) {
    if (full || !builder.hasRoomFor(timestampMs, key, value, headers)) {
      full = true;
      return false;
    }
    builder.append(timestampMs, key, value, headers);
    pending.add(new Pending(promise, caller, timestampMs, key == null ? -1 : key.length,
        value == null ? -1 : value.length));
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

  /**
   * Idempotence: stamps the producer id, epoch and first sequence into the batch header. Before the
   * first send this only sets them in the builder. On a batch already built (a renumbering after an
   * epoch bump) the header of a copy is rewritten, CRC included: the bytes sent before are never
   * changed, since a request delivered in this JVM may still hold them.
   */
  void producerState(long newProducerId, short newEpoch, int newBaseSequence) {
    if (records == null) {
      full = true; // no appends after the header is decided (the sender took the batch off its deque)
      builder.setProducerState(newProducerId, newEpoch, newBaseSequence, false);
    } else {
      ByteBuffer copy = ByteBuffer.allocate(records.sizeInBytes());
      copy.put(records.buffer()).flip();
      copy.putLong(PRODUCER_ID_OFFSET, newProducerId);
      copy.putShort(PRODUCER_EPOCH_OFFSET, newEpoch);
      copy.putInt(BASE_SEQUENCE_OFFSET, newBaseSequence);
      long crc = Crc32C.compute(copy, ATTRIBUTES_OFFSET, copy.limit() - ATTRIBUTES_OFFSET);
      copy.putInt(DefaultRecordBatch.CRC_OFFSET, (int) crc);
      records = MemoryRecords.readableRecords(copy);
    }
    producerId = newProducerId;
    producerEpoch = newEpoch;
    baseSequence = newBaseSequence;
  }

  /** The batch's first sequence ({@link RecordBatch#NO_SEQUENCE} until the sender gave it one). */
  int baseSequence() {
    return baseSequence;
  }

  /** Whether the batch is stamped with this producer id and epoch. */
  boolean producerIdMatches(long id, short epoch) {
    return producerId == id && producerEpoch == epoch;
  }

  boolean hasSequence() {
    return baseSequence != RecordBatch.NO_SEQUENCE;
  }

  int sizeInBytes() {
    return records != null ? records.sizeInBytes() : builder.estimatedSizeInBytes();
  }

  /**
   * Completes every record: record i gets offset {@code baseOffset + i} ({@code -1} stays -1 for
   * acks=0) and, as in Kafka, the broker's {@code logAppendTimeMs} as its timestamp when the topic
   * uses LogAppendTime ({@link RecordBatch#NO_TIMESTAMP}, -1, for CreateTime: the record's own time).
   * Answers false if the batch was already completed (e.g. expired meanwhile).
   */
  boolean complete(long baseOffset, long logAppendTimeMs) {
    if (completed) {
      return false;
    }
    completed = true;
    Map<Context, List<Runnable>> hops = null;
    for (int i = 0; i < pending.size(); i++) {
      Pending p = pending.get(i);
      long timestampMs = logAppendTimeMs == RecordBatch.NO_TIMESTAMP ? p.timestampMs : logAppendTimeMs;
      RecordMetadata metadata = new RecordMetadata(tp, baseOffset, i, timestampMs, p.keySize, p.valueSize);
      if (p.caller == null) {
        p.promise.tryComplete(metadata);
      } else {
        hops = later(hops, p.caller, () -> p.promise.tryComplete(metadata));
      }
    }
    finish(hops);
    return true;
  }

  /** Fails every record with {@code error}; false if already completed. */
  boolean fail(RuntimeException error) {
    if (completed) {
      return false;
    }
    completed = true;
    Map<Context, List<Runnable>> hops = null;
    for (Pending p : pending) {
      if (p.caller == null) {
        p.promise.tryFail(error);
      } else {
        hops = later(hops, p.caller, () -> p.promise.tryFail(error));
      }
    }
    finish(hops);
    return true;
  }

  private static Map<Context, List<Runnable>> later(Map<Context, List<Runnable>> hops, Context caller,
      Runnable completion) {
    Map<Context, List<Runnable>> all = hops != null ? hops : new IdentityHashMap<>();
    all.computeIfAbsent(caller, c -> new ArrayList<>()).add(completion);
    return all;
  }

  /** Runs the completions due on other contexts, one hop per context, then completes {@link #done()}. */
  private void finish(Map<Context, List<Runnable>> hops) {
    if (hops == null) {
      done.tryComplete();
      return;
    }
    List<Future<Void>> hopped = new ArrayList<>(hops.size());
    hops.forEach((caller, completions) -> {
      Promise<Void> ran = Promise.promise();
      hopped.add(ran.future());
      caller.runOnContext(v -> {
        completions.forEach(Runnable::run);
        ran.complete();
      });
    });
    // done() is what flush() waits for: it completes after every record's future, back on the
    // producer's context (the one completing the batch), which owns what flush() touches then
    Context own = Vertx.currentContext();
    Future.join(hopped).onComplete(ar -> {
      if (own == null) {
        done.tryComplete();
      } else {
        own.runOnContext(v -> done.tryComplete());
      }
    });
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
